using System.Security.Cryptography;
using System.Text;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Http;

/// <summary>
/// A create that carried an <c>Idempotency-Key</c> and succeeded: the user's key, what the request was (method, path and
/// body, hashed) and the response it got, replayed to a repetition for <see cref="IdempotentCreate.Lifetime"/>.
/// </summary>
public sealed class IdempotencyKey
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public string Key { get; set; } = "";

    /// <summary>SHA-256 (hex) of the method, path, query and body (fields and uploaded files).</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>When the first request was answered (server-local naive time, as every Alyx datetime).</summary>
    public DateTime Created { get; set; }

    public int Status { get; set; }

    /// <summary>The response body as sent (JSON text).</summary>
    public string Body { get; set; } = "";

    public string? Location { get; set; }
}

sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> b)
    {
        b.ToTable("alyx_idempotencykey").HasAnnotation(AlyxAnnotations.Secret, true);
        b.HasKey(k => k.Id);
        b.Property(k => k.Key).HasMaxLength(IdempotentCreate.MaxKeyLength);
        b.Property(k => k.Fingerprint).HasMaxLength(64);
        b.Property(k => k.Location).HasMaxLength(2000);
        // One stored answer per user and key: concurrent repetitions serialise on this index.
        b.HasIndex(k => new { k.UserId, k.Key }).IsUnique();
        b.HasIndex(k => k.Created);
        b.HasOne<LabMember>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Idempotent creates (the IETF draft "The Idempotency-Key HTTP Header Field"): a POST with the header on a create route.
/// Before anything else the stored answer of the user's key is looked up: the same request within <see cref="Lifetime"/> gets
/// it again (status, body, Location) and writes nothing; a different request with the key is 422. Otherwise the key row is
/// inserted first in the create's transaction: the unique (user, key) index makes a concurrent repetition wait for that
/// transaction, then replay its answer (or, when the first one failed and wrote nothing, proceed itself). The answer is
/// stored in the same transaction, so a committed row always has its key and a rolled-back create leaves no key. Only
/// successful creates are kept; a refused request can be corrected and sent again with the same key.
/// </summary>
public sealed class IdempotentCreate
{
    public const string Header = "Idempotency-Key";

    public const int MaxKeyLength = 255;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>How often a create sweeps expired keys of every user (per process).</summary>
    static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);

    static long nextSweepTicks;

    readonly Guid user;
    readonly string key;
    readonly string fingerprint;
    readonly DateTime now;
    IdempotencyKey? claimed;

    IdempotentCreate(Guid user, string key, string fingerprint, DateTime now) =>
        (this.user, this.key, this.fingerprint, this.now) = (user, key, fingerprint, now);

    /// <summary>
    /// The request's key, or null without the header (nothing changes then). A blank, repeated or over-long header is a 400.
    /// </summary>
    public static (IdempotentCreate? Create, IResult? Error) From(HttpContext http, RequestData body)
    {
        if (!http.Request.Headers.TryGetValue(Header, out var values)) return (null, null);
        if (http.CurrentUser() is not { } user) return (null, null);
        var key = values.Count == 1 ? values[0]?.Trim() ?? "" : "";
        if (key.Length == 0 || key.Length > MaxKeyLength || key.Any(char.IsControl))
            return (null, AlyxResults.BadRequest($"The {Header} header must be one value of 1 to {MaxKeyLength} printable characters."));
        var now = http.RequestServices.GetRequiredService<AlyxClock>().Now;
        return (new IdempotentCreate(user.Id, key, Fingerprint(http.Request, body), now), null);
    }

    static string Fingerprint(HttpRequest request, RequestData body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        Add(request.Method);
        Add(request.PathBase + request.Path);
        Add(request.QueryString.Value ?? "");
        Add(body.Fields.ToJsonString());
        foreach (var file in body.Files ?? (IEnumerable<IFormFile>)[])
        {
            Add(file.Name);
            Add(file.FileName);
            using var stream = file.OpenReadStream();
            Add(Convert.ToHexString(SHA256.HashData(stream)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    IQueryable<IdempotencyKey> Mine(AlyxDb db) => db.Set<IdempotencyKey>().Where(k => k.UserId == user && k.Key == key);

    /// <summary>The stored answer of this key (null when there is none): replayed for the same request, 422 for another.</summary>
    public async Task<IResult?> ReplayAsync(AlyxDb db, CancellationToken ct)
    {
        var since = now - Lifetime;
        var stored = await Mine(db).AsNoTracking().Where(k => k.Created > since).FirstOrDefaultAsync(ct);
        if (stored is null) return null;
        if (stored.Fingerprint != fingerprint)
            return AlyxResults.Detail(StatusCodes.Status422UnprocessableEntity,
                $"This {Header} was already used for a different request.");
        return new StoredResponse(stored.Status, Encoding.UTF8.GetBytes(stored.Body), stored.Location);
    }

    /// <summary>
    /// In the create's transaction, before any other write: takes the key (removing an expired use of it). False when another
    /// request holds it; the caller then rolls back and calls <see cref="AfterLostClaimAsync"/>.
    /// </summary>
    public async Task<bool> ClaimAsync(AlyxDb db, CancellationToken ct)
    {
        var since = now - Lifetime;
        await Mine(db).Where(k => k.Created <= since).ExecuteDeleteAsync(ct);
        var due = Interlocked.Read(ref nextSweepTicks);
        if (DateTime.UtcNow.Ticks >= due && Interlocked.CompareExchange(ref nextSweepTicks, DateTime.UtcNow.Add(SweepInterval).Ticks, due) == due)
            await db.Set<IdempotencyKey>().Where(k => k.Created <= since).ExecuteDeleteAsync(ct);
        claimed = new IdempotencyKey { UserId = user, Key = key, Fingerprint = fingerprint, Created = now };
        db.Add(claimed);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.Entry(claimed).State = EntityState.Detached;
            claimed = null;
            return false;
        }
    }

    /// <summary>After a lost claim (rolled back): the winner's answer, or 409 when it is still not readable.</summary>
    public async Task<IResult> AfterLostClaimAsync(AlyxDb db, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await ReplayAsync(db, ct)
            ?? AlyxResults.Detail(StatusCodes.Status409Conflict, $"A request with this {Header} is being processed; try again.");
    }

    /// <summary>In the create's transaction, just before the commit: stores the answer and returns it as it will be sent.</summary>
    public async Task<IResult> CompleteAsync(AlyxDb db, int status, object? value, string? location, CancellationToken ct)
    {
        var bytes = AlyxJsonResult.Serialize(value, value?.GetType() ?? typeof(object));
        if (claimed is not null)
        {
            claimed.Status = status;
            claimed.Body = Encoding.UTF8.GetString(bytes);
            claimed.Location = location;
            await db.SaveChangesAsync(ct);
        }
        return new StoredResponse(status, bytes, location);
    }

    /// <summary>A stored JSON answer, sent as Alyx sends JSON.</summary>
    sealed class StoredResponse(int status, byte[] body, string? location) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            httpContext.Response.Headers.Vary = "Accept";
            if (location is not null) httpContext.Response.Headers.Location = location;
            httpContext.Response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(httpContext.Request.Method)) await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
