using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Auth;

/// <summary>
/// HTTP Basic credentials checked against Alyx users (for the file server, which ONE reaches with
/// <c>HTTP_DATA_SERVER_LOGIN</c>/<c>HTTP_DATA_SERVER_PWD</c> and never with its token). Password hashing takes about a second
/// by design, and ONE downloads file after file, so a successful check is remembered for a few minutes. The memory is keyed
/// by the stored hash as well: changing the password or deactivating the user ends it at once. Refused credentials are
/// remembered the same way, so a client retrying a wrong password (ONE downloads with up to four threads) costs one hash.
/// </summary>
public sealed class BasicCredentials(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    const int MaxEntries = 10_000;

    readonly ConcurrentDictionary<string, (bool Valid, DateTimeOffset Until)> checks = new(StringComparer.Ordinal);

    /// <summary>Parses <c>Authorization: Basic base64(user:password)</c>; null when absent or malformed.</summary>
    public static (string Username, string Password)? Parse(string header)
    {
        var parts = header.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[0].Equals("basic", StringComparison.OrdinalIgnoreCase)) return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
    }

    /// <summary>The active user with these credentials, or null.</summary>
    public async Task<CurrentUser?> VerifyAsync(AlyxDb db, string username, string password, CancellationToken ct) =>
        (await CheckAsync(db, username, password, ct)).User;

    /// <summary>
    /// The active user with these credentials, or null; <c>Hashed</c> when the password was hashed for this answer (not
    /// remembered). An unknown or inactive user costs a hash too (a dummy one), so the time does not tell them apart.
    /// </summary>
    public async Task<(CurrentUser? User, bool Hashed)> CheckAsync(AlyxDb db, string username, string password, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Username == username)
            .Select(u => new { u.Id, u.Username, u.Password, u.IsActive, u.IsPublicUser, u.IsSuperuser, u.IsStaff })
            .SingleOrDefaultAsync(ct);
        var key = Key(username, password, user is null ? "\0unknown" : user.Password + (user.IsActive ? "" : "\0inactive"));
        var now = time.GetUtcNow();
        var hashed = false;
        if (!checks.TryGetValue(key, out var check) || check.Until <= now)
        {
            if (checks.Count >= MaxEntries) checks.Clear();
            var valid = user is null ? DjangoPasswordHasher.VerifyDummy(password) : DjangoPasswordHasher.Verify(password, user.Password) && user.IsActive;
            check = (valid, now + Lifetime);
            checks[key] = check;
            hashed = true;
        }
        return (!check.Valid || user is null ? null : new CurrentUser(user.Id, user.Username, user.IsPublicUser, user.IsSuperuser, user.IsStaff), hashed);
    }

    static string Key(string username, string password, string storedHash) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(username + "\0" + password + "\0" + storedHash)));
}
