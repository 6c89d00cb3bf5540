using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Alyx.Auth;

/// <summary>Django's password hashes: <c>pbkdf2_sha256$iterations$salt$base64</c> (and <c>pbkdf2_sha1</c>), verify and create.</summary>
public static class DjangoPasswordHasher
{
    /// <summary>Django 5.2's default work factor.</summary>
    public const int DefaultIterations = 1_000_000;

    const string SaltAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string Hash(string password, int iterations = DefaultIterations, string? salt = null)
    {
        salt ??= RandomNumberGenerator.GetString(SaltAlphabet, 22);
        var hash = Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2_sha256${iterations.ToString(CultureInfo.InvariantCulture)}${salt}${hash}";
    }

    /// <summary>False for empty or unusable (<c>!</c>-prefixed) hashes and for unsupported algorithms.</summary>
    public static bool Verify(string password, string? encoded) => Verify(password, encoded, dummy: false);

    static bool Verify(string password, string? encoded, bool dummy)
    {
        if (string.IsNullOrEmpty(encoded) || encoded.StartsWith('!')) return false;
        var parts = encoded.Split('$');
        if (parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations <= 0)
            return false;
        var (algorithm, length) = parts[0] switch
        {
            "pbkdf2_sha256" => (HashAlgorithmName.SHA256, 32),
            "pbkdf2_sha1" => (HashAlgorithmName.SHA1, 20),
            _ => (default(HashAlgorithmName), 0),
        };
        if (length == 0) return false;
        Http.AlyxMetrics.PasswordChecked(iterations, dummy);
        var computed = Pbkdf2(password, parts[2], iterations, algorithm, length);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(parts[3]));
    }

    static string Pbkdf2(string password, string salt, int iterations, HashAlgorithmName algorithm, int length) =>
        Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), iterations, algorithm, length));

    static readonly Lazy<string> Dummy = new(() => Hash(RandomNumberGenerator.GetString(SaltAlphabet, 32)));

    /// <summary>
    /// Verifies against the hash of a random password at the default work factor: a check for an unknown or inactive user
    /// costs what a real one costs, so timing does not tell which usernames exist (Django's ModelBackend does the same).
    /// </summary>
    public static bool VerifyDummy(string password)
    {
        Verify(password, Dummy.Value, dummy: true);
        return false;
    }

    /// <summary>A new token key: 20 random bytes as 40 lowercase hex characters, as DRF makes them.</summary>
    public static string NewTokenKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
}
