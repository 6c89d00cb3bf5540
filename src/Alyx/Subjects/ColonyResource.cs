using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

/// <summary>
/// One write request to a colony resource: the tracked entity, the validated body, and helpers that copy values and
/// resolve slug references, adding DRF's messages to <see cref="Errors"/>. Nothing is saved while errors exist.
/// </summary>
sealed class ColonyWrite<T>(T entity, Validated data, AlyxDb db, ErrorMap errors, HttpContext http, CancellationToken ct) where T : AlyxModel
{
    public T Entity { get; } = entity;

    public Validated Data { get; } = data;

    public AlyxDb Db { get; } = db;

    public ErrorMap Errors { get; } = errors;

    public HttpContext Http { get; } = http;

    public CancellationToken Ct { get; } = ct;

    public bool Creating => Db.Entry(Entity).State == EntityState.Detached;

    /// <summary>A text field: a given null (nullable fields only) is stored as the empty string.</summary>
    public ColonyWrite<T> Text(string field, Action<T, string> set)
    {
        if (Data.TryGet<string>(field, out var value)) set(Entity, value ?? "");
        return this;
    }

    /// <summary>A typed value; use a nullable <typeparamref name="TValue"/> for nullable columns.</summary>
    public ColonyWrite<T> Value<TValue>(string field, Action<T, TValue> set)
    {
        if (Data.TryGet<TValue>(field, out var value)) set(Entity, value!);
        return this;
    }

    /// <summary>An integer choice (validated as DRF's ChoiceField, i.e. as text); a given null (nullable fields only) clears it.</summary>
    public ColonyWrite<T> Code(string field, Action<T, int?> set)
    {
        if (Data.TryGet<string>(field, out var value))
            set(Entity, value is null ? null : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A to-one slug reference; a given null clears it (nullable fields only), so <paramref name="assign"/> gets null.</summary>
    public async Task RefAsync<TRef>(string field, IQueryable<TRef> set, Expression<Func<TRef, string>> slug, string slugName, Action<T, TRef?> assign)
        where TRef : class
    {
        if (!Data.TryGet<string>(field, out var value)) return;
        if (value is null)
        {
            assign(Entity, null);
            return;
        }
        var row = await Slugs.ResolveOneAsync(set.AsNoTracking(), slug, slugName, value, field, Errors, Ct);
        if (row is not null) assign(Entity, row);
    }

    /// <summary>A many-to-many slug list, replaced as a whole (the entity must be loaded with the collection).</summary>
    public async Task RefsAsync<TRef>(string field, IQueryable<TRef> set, Expression<Func<TRef, string>> slug, string slugName, Action<T, List<TRef>> assign)
        where TRef : class
    {
        if (!Data.TryGet<List<string>>(field, out var values)) return;
        var rows = await Slugs.ResolveAsync(set, slug, slugName, values ?? [], field, Errors, Ct);
        if (!Errors.Has(field)) assign(Entity, rows);
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

/// <summary>
/// A colony model exposed as a DRF ModelViewSet would: list (filters, pagination), create, retrieve, update, partial
/// update, destroy, looked up by a unique slug or by <c>{id}</c>. Each request is one transaction: validation and
/// reference errors give a 400 and write nothing; the hooks run inside the transaction.
/// </summary>
sealed class ColonyResource<T, TItem> where T : AlyxModel, new() where TItem : class
{
    public required string Path { get; init; }

    /// <summary>The model's class name, for <c>No {Model} matches the given query.</c></summary>
    public required string Model { get; init; }

    public required Serializer Serializer { get; init; }

    /// <summary>The model's Meta ordering, ties broken by id.</summary>
    public required Func<AlyxDb, IQueryable<T>> Ordered { get; init; }

    public Expression<Func<T, TItem>>? Item { get; init; }

    /// <summary>A projection that needs the request (absolute <c>url</c> fields); used instead of <see cref="Item"/>.</summary>
    public Func<HttpRequest, Expression<Func<T, TItem>>>? ItemFor { get; init; }

    /// <summary>The <c>Location</c> header of a 201 (DRF sets it from the representation's <c>url</c>).</summary>
    public Func<TItem, string?>? Location { get; init; }

    /// <summary>False for a resource without POST on the list route.</summary>
    public bool CanCreate { get; init; } = true;

    /// <summary>False for a resource without DELETE on the detail route.</summary>
    public bool CanDelete { get; init; } = true;

    /// <summary>Copies the validated body onto the entity, resolving references; adds errors instead of throwing.</summary>
    public required Func<ColonyWrite<T>, Task> Write { get; init; }

    public FilterSet<T> Filters { get; init; } = new FilterSet<T>().Generated().Django();

    /// <summary>The slug column of <c>/{Path}/{Lookup}</c>; null for a lowercase-UUID <c>{id}</c> lookup.</summary>
    public (string Name, Expression<Func<T, string>> Column)? Slug { get; init; }

    /// <summary>Includes needed to replace many-to-many collections on update.</summary>
    public Func<IQueryable<T>, IQueryable<T>> ForUpdate { get; init; } = q => q;

    /// <summary>Derived values that need one more (batched) query.</summary>
    public Func<AlyxDb, List<TItem>, CancellationToken, Task>? Enrich { get; init; }

    /// <summary>Creation defaults not expressible as property initialisers (e.g. today's date).</summary>
    public Action<T, HttpContext>? Defaults { get; init; }

    /// <summary>After validation succeeded, before the row is written (automatic names, default rows).</summary>
    public Func<AlyxDb, T, CancellationToken, Task>? BeforeSave { get; init; }

    /// <summary>After the row was written or deleted (the genotype engine).</summary>
    public Func<AlyxDb, T, CancellationToken, Task>? AfterSave { get; init; }

    public Func<AlyxDb, T, CancellationToken, Task>? AfterDelete { get; init; }

    /// <summary>Before the row is deleted (Django's SET_DEFAULT: re-pointing rows that reference it).</summary>
    public Func<AlyxDb, T, CancellationToken, Task>? BeforeDelete { get; init; }

    Expression<Func<T, TItem>> Project(HttpRequest request) =>
        ItemFor?.Invoke(request) ?? Item ?? throw new InvalidOperationException($"/{Path} declares no projection.");

    public void Map(IEndpointRouteBuilder routes)
    {
        var lookup = Slug?.Name ?? "id";
        var resource = routes.Resource(Path, lookup, uuidLookup: Slug is null).List(Ordered, Project, Serializer, Filters, Enrich);
        if (CanCreate) resource.Create((HttpContext http, AlyxDb db, CancellationToken ct) => SaveAsync(http, db, null, false, ct), Serializer);
        resource.Retrieve(GetAsync, Serializer)
            .Update((HttpContext http, AlyxDb db, CancellationToken ct) => SaveAsync(http, db, Key(http), false, ct), Serializer)
            .PartialUpdate((HttpContext http, AlyxDb db, CancellationToken ct) => SaveAsync(http, db, Key(http), true, ct), Serializer);
        if (CanDelete) resource.Destroy(DeleteAsync);
    }

    string Key(HttpContext http) => http.Request.RouteValues[Slug?.Name ?? "id"] as string ?? "";

    Expression<Func<T, bool>> Matches(string key)
    {
        if (Slug is { } slug) return Expr.Equal<T>(slug.Column, key);
        var id = Guid.Parse(key);
        return e => e.Id == id;
    }

    async Task<TItem?> ReadAsync(AlyxDb db, HttpRequest request, Expression<Func<T, bool>> where, CancellationToken ct)
    {
        var rows = await db.Set<T>().AsNoTracking().Where(where).Select(Project(request)).Take(2).ToListAsync(ct);
        if (rows.Count != 1) return null;
        if (Enrich is not null) await Enrich(db, rows, ct);
        return rows[0];
    }

    async Task<IResult> GetAsync(HttpContext http, AlyxDb db, CancellationToken ct)
    {
        var item = await ReadAsync(db, http.Request, Matches(Key(http)), ct);
        return item is null ? AlyxResults.NotFound(Model) : AlyxResults.Ok(item);
    }

    async Task<IResult> SaveAsync(HttpContext http, AlyxDb db, string? key, bool partial, CancellationToken ct)
    {
        T? entity;
        if (key is null)
        {
            entity = new T();
            Defaults?.Invoke(entity, http);
        }
        else
        {
            entity = await ForUpdate(db.Set<T>()).Where(Matches(key)).SingleOrDefaultAsync(ct);
            if (entity is null) return AlyxResults.NotFound(Model);
        }
        var (body, bodyError) = await RequestBody.ReadAsync(http.Request, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = Serializer.Validate(body!, partial, errors);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var write = new ColonyWrite<T>(entity, data, db, errors, http, ct);
        write.Text("name", (e, v) => e.Name = v).Value<string?>("json", (e, v) => e.Json = v);
        await Write(write);
        if (errors.Any) return Invalid(errors);
        if (BeforeSave is not null) await BeforeSave(db, entity, ct);
        if (db.Entry(entity).State == EntityState.Detached) db.Set<T>().Add(entity);
        await db.SaveChangesAsync(ct);
        if (AfterSave is not null) await AfterSave(db, entity, ct);
        await tx.CommitAsync(ct);
        var id = entity.Id;
        var item = await ReadAsync(db, http.Request, e => e.Id == id, ct);
        return key is null ? AlyxResults.Created(item, item is null ? null : Location?.Invoke(item)) : AlyxResults.Ok(item);
    }

    /// <summary>DRF reports field errors in serializer field order (reference lookups included), then non_field_errors.</summary>
    IResult Invalid(ErrorMap errors)
    {
        var body = errors.ToBody();
        var rank = Serializer.Fields.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i);
        var ordered = new JsonObject();
        foreach (var key in body.Select(p => p.Key).OrderBy(k => rank.GetValueOrDefault(k, int.MaxValue)).ToList())
        {
            var node = body[key];
            body.Remove(key);
            ordered[key] = node;
        }
        return new AlyxJsonResult(ordered, StatusCodes.Status400BadRequest);
    }

    async Task<IResult> DeleteAsync(HttpContext http, AlyxDb db, CancellationToken ct)
    {
        var entity = await db.Set<T>().Where(Matches(Key(http))).SingleOrDefaultAsync(ct);
        if (entity is null) return AlyxResults.NotFound(Model);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (BeforeDelete is not null) await BeforeDelete(db, entity, ct);
        db.Set<T>().Remove(entity);
        await db.SaveChangesAsync(ct);
        if (AfterDelete is not null) await AfterDelete(db, entity, ct);
        await tx.CommitAsync(ct);
        return AlyxResults.NoContent();
    }
}
