using System.Linq.Expressions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Filtering;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Alyx.Http;

/// <summary>
/// One write request to a <see cref="Resource{T, TList, TDetail}"/>: the tracked entity, the validated body, and helpers that
/// copy values and resolve slug references, adding DRF's messages to <see cref="Errors"/>. Nothing is saved while errors exist;
/// a hook may also <see cref="Refuse"/> the whole request with a <c>detail</c> body. Disposing it undoes the
/// <see cref="OnAbandoned"/> work of a write that was not committed.
/// </summary>
public sealed class ResourceWrite<T>(T entity, Validated data, ErrorMap errors, RequestData body, AlyxDb db, HttpContext http, bool creating,
    bool partial, CancellationToken ct) : IDisposable where T : class, IEntity
{
    public T Entity { get; } = entity;

    /// <summary>The stored row's values before this write (null on create), for after-commit hooks that compare (a replaced file).</summary>
    public PropertyValues? Stored { get; } = creating ? null : db.Entry(entity).OriginalValues.Clone();

    public Validated Data { get; } = data;

    /// <summary>The raw body, for fields the serializer cannot type (hyperlinks).</summary>
    public RequestData Body { get; } = body;

    public AlyxDb Db { get; } = db;

    public ErrorMap Errors { get; } = errors;

    public HttpContext Http { get; } = http;

    public CancellationToken Ct { get; } = ct;

    /// <summary>POST on the list route; otherwise PUT or PATCH of a stored row.</summary>
    public bool Creating { get; } = creating;

    /// <summary>PATCH: absent fields are not required.</summary>
    public bool Partial { get; } = partial;

    /// <summary>PUT (DRF's CurrentUserDefault and friends apply to create and PUT, not PATCH).</summary>
    public bool Put => !Creating && !Partial;

    public CurrentUser User => Http.RequiredUser();

    /// <summary>What <c>Write</c> found that a later hook of the same write needs (a reference it resolved), so it is not read twice.</summary>
    public object? Found { get; set; }

    readonly List<Func<Task>> saved = [];

    /// <summary>Work that <c>Write</c> prepared for after the row is written, in the same transaction (reverse relations).</summary>
    public void OnSaved(Func<Task> action) => saved.Add(action);

    internal async Task RunSavedAsync()
    {
        foreach (var action in saved) await action();
    }

    readonly List<Action> abandoned = [];

    /// <summary>Undoes work outside the database that a hook did for this write (a file it stored) if the write ends without a commit.</summary>
    public void OnAbandoned(Action undo) => abandoned.Add(undo);

    internal bool Committed { get; set; }

    public void Dispose()
    {
        if (Committed) return;
        foreach (var undo in abandoned) undo();
    }

    /// <summary>A whole-request refusal (<c>{"detail": ...}</c>, 400 unless given) set by a hook.</summary>
    public IResult? Refusal { get; private set; }

    public void Refuse(string detail, int status = StatusCodes.Status400BadRequest)
    {
        Refusal = AlyxResults.Detail(status, detail);
        RefusalDetail = detail;
    }

    /// <summary>The words of <see cref="Refusal"/> (the admin pages show them).</summary>
    public string? RefusalDetail { get; private set; }

    /// <summary>A text field: a given null (nullable fields only) is stored as the empty string.</summary>
    public ResourceWrite<T> Text(string field, Action<T, string> set)
    {
        if (Data.TryGet<string>(field, out var value)) set(Entity, value ?? "");
        return this;
    }

    /// <summary>A typed value; use a nullable <typeparamref name="TValue"/> for nullable columns.</summary>
    public ResourceWrite<T> Value<TValue>(string field, Action<T, TValue> set)
    {
        if (Data.TryGet<TValue>(field, out var value)) set(Entity, value!);
        return this;
    }

    /// <summary>An integer choice (validated as DRF's ChoiceField, i.e. as text); a given null (nullable fields only) clears it.</summary>
    public ResourceWrite<T> Code(string field, Action<T, int?> set)
    {
        if (Data.TryGet<string>(field, out var value))
            set(Entity, value is null ? null : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>
    /// A to-one slug reference (DRF's SlugRelatedField); a given null clears it (nullable fields only), so <paramref name="assign"/>
    /// gets null. Returns the row when one was given and found.
    /// </summary>
    public async Task<TRef?> RefAsync<TRef>(string field, IQueryable<TRef> set, Expression<Func<TRef, string>> slug, string slugName,
        Action<T, TRef?>? assign = null) where TRef : class
    {
        if (!Data.TryGet<string>(field, out var value)) return null;
        if (value is null)
        {
            assign?.Invoke(Entity, null);
            return null;
        }
        var row = await Slugs.ResolveOneAsync(Db, set.AsNoTracking(), slug, slugName, value, field, Errors, Ct);
        if (row is not null) assign?.Invoke(Entity, row);
        return row;
    }

    /// <summary>A many-to-many slug list, replaced as a whole (the entity must be loaded with the collection); null when absent.</summary>
    public async Task<List<TRef>?> RefsAsync<TRef>(string field, IQueryable<TRef> set, Expression<Func<TRef, string>> slug, string slugName,
        Action<T, List<TRef>>? assign = null) where TRef : class
    {
        if (!Data.TryGet<List<string>>(field, out var values)) return null;
        var rows = await Slugs.ResolveAsync(set, slug, slugName, values ?? [], field, Errors, Ct);
        if (Errors.Has(field)) return null;
        assign?.Invoke(Entity, rows);
        return rows;
    }

    /// <summary>A unique column: another row with the given value is an error on the field (or on non_field_errors).</summary>
    public async Task UniqueAsync(string field, Expression<Func<T, string>> column, string message, bool nonField = false)
    {
        if (!Data.TryGet<string>(field, out var value) || value is null || Errors.Has(field)) return;
        var id = Entity.Id;
        if (await Db.Set<T>().Where(Expr.Equal<T>(column, value)).AnyAsync(e => e.Id != id, Ct))
            Errors.Add(nonField ? "non_field_errors" : field, message);
    }
}

/// <summary>A unique slug column of a resource, checked before the write as DRF's UniqueValidator (the database enforces it too).</summary>
public sealed record Unique<T>(string Field, Expression<Func<T, string>> Column, string Message, bool NonField = false);
