using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Filtering;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Http;

/// <summary>The verbs a resource offers, as DRF's view sets and generic views do.</summary>
[Flags]
public enum Verbs
{
    None = 0,
    List = 1,
    Create = 2,
    Retrieve = 4,
    Update = 8,
    PartialUpdate = 16,
    Destroy = 32,
    ListCreate = List | Create,
    ReadOnly = List | Retrieve,
    All = List | Create | Retrieve | Update | PartialUpdate | Destroy,
}

/// <summary>What every resource declaration tells the rest of the server (the OpenAPI document, the admin pages).</summary>
public interface IResource
{
    string Path { get; }

    /// <summary>The model's class name, for <c>No {Model} matches the given query.</c></summary>
    string Model { get; }

    Type Entity { get; }

    /// <summary>The detail representation: retrieve, update and (unless <c>CreateSerializer</c> says otherwise) create.</summary>
    Serializer Serializer { get; }

    /// <summary>The route parameter of <c>/{Path}/{Lookup}</c>: a slug column's name, or <c>id</c> for a lowercase-UUID key.</summary>
    string Lookup { get; }

    Verbs Verbs { get; }
}

/// <summary>
/// A REST resource as DRF's router builds it: <c>/{Path}</c> for list/create and <c>/{Path}/{lookup}</c> for retrieve, update,
/// partial update and destroy, declared once: entity, projections, serializers, filters, uniqueness, verbs, and typed hooks for the
/// domain rules. <see cref="Map"/> maps the routes and records each operation in the <see cref="ApiCatalog"/>.
/// Each write is one transaction: body validation, <see cref="Write"/> (values and references), the declared <see cref="Unique"/>
/// columns; any error answers 400 in DRF's shape (serializer field order, then non_field_errors) and writes nothing. Then
/// <see cref="BeforeSave"/>, the save, <see cref="AfterSave"/> in the transaction, the commit, <see cref="AfterCommit"/>.
/// </summary>
public class Resource<T, TList, TDetail> : IResource where T : class, IEntity, new() where TList : class where TDetail : class
{
    public required string Path { get; init; }

    public required string Model { get; init; }

    public Type Entity => typeof(T);

    public required Serializer Serializer { get; init; }

    /// <summary>The list items' representation, where it differs from the detail.</summary>
    public Serializer? ListSerializer { get; init; }

    /// <summary>The representation POST validates (and answers with), where it differs from the detail.</summary>
    public Serializer? CreateSerializer { get; init; }

    /// <summary>A create answers with the list item rather than the detail (DRF views whose POST uses the list serializer).</summary>
    public bool CreateAnswersListItem { get; init; }

    /// <summary>The slug column of <c>/{Path}/{name}</c>; null for a lowercase-UUID <c>{id}</c> lookup.</summary>
    public (string Name, Expression<Func<T, string>> Column)? Slug { get; init; }

    public string Lookup => Slug?.Name ?? "id";

    public Verbs Verbs { get; init; } = Verbs.All;

    /// <summary>Who may reach the routes: Alyx's REST rule unless said otherwise (an <see cref="AlyxPolicy"/> name).</summary>
    public string Policy { get; init; } = AlyxPolicy.Api;

    /// <summary>The list's rows in the model's Meta ordering, ties broken by id (and any includes the projection needs).</summary>
    public required Func<AlyxDb, IQueryable<T>> Ordered { get; init; }

    public Expression<Func<T, TList>>? Item { get; init; }

    /// <summary>A projection that needs the request (absolute <c>url</c> fields); used instead of <see cref="Item"/>.</summary>
    public Func<HttpRequest, Expression<Func<T, TList>>>? ItemFor { get; init; }

    /// <summary>Derived values of a page of items that need one more (batched) query.</summary>
    public Func<AlyxDb, List<TList>, CancellationToken, Task>? Enrich { get; init; }

    /// <summary>The detail projection, where the detail is not the list item.</summary>
    public Func<HttpRequest, Expression<Func<T, TDetail>>>? DetailFor { get; init; }

    /// <summary>A detail read in several queries (nested collections); null when the row does not exist.</summary>
    public Func<AlyxDb, HttpRequest, Guid, CancellationToken, Task<TDetail?>>? ReadDetail { get; init; }

    /// <summary>A 201 carries a <c>Location</c> header: the created representation's <c>url</c> (DRF sets it where there is one).</summary>
    public bool Location { get; init; }

    /// <summary>django-filter's filter set; null for views without filter backends (every parameter but limit/offset is ignored).</summary>
    public FilterSet<T>? Filters { get; init; } = new FilterSet<T>().Generated().Django();

    /// <summary>Unique slug columns, checked as DRF's UniqueValidator after <see cref="Write"/>.</summary>
    public IReadOnlyList<Unique<T>> Unique { get; init; } = [];

    /// <summary>The field error answered when the database itself refuses a write as a duplicate (a race the checks could not see).</summary>
    public (string Field, string Message)? UniqueViolation { get; init; }

    /// <summary>Includes needed to replace many-to-many collections on update.</summary>
    public Func<IQueryable<T>, IQueryable<T>> ForUpdate { get; init; } = q => q;

    /// <summary>Creation defaults that are not property initialisers (today's date, the caller), before the body is applied.</summary>
    public Action<ResourceWrite<T>>? Defaults { get; init; }

    /// <summary>Copies the validated body onto the entity, resolving references; adds errors (or refuses) instead of throwing.</summary>
    public Func<ResourceWrite<T>, Task>? Write { get; init; }

    /// <summary>After validation succeeded, before the row is written (automatic names, save-hook rules that may still refuse).</summary>
    public Func<ResourceWrite<T>, Task>? BeforeSave { get; init; }

    /// <summary>After the row was written, in the same transaction (derived rows: genotypes, protocol numbers, links).</summary>
    public Func<ResourceWrite<T>, Task>? AfterSave { get; init; }

    /// <summary>After the commit (work outside the database: files).</summary>
    public Func<ResourceWrite<T>, Task>? AfterCommit { get; init; }

    /// <summary>Before the row is deleted, in the transaction (Django's SET_DEFAULT re-pointing, refusals).</summary>
    public Func<ResourceWrite<T>, Task>? BeforeDelete { get; init; }

    public Func<ResourceWrite<T>, Task>? AfterDelete { get; init; }

    /// <summary>After a delete was committed.</summary>
    public Func<ResourceWrite<T>, Task>? Deleted { get; init; }

    public string? ListDescription { get; init; }

    public string? CreateDescription { get; init; }

    public string? RetrieveDescription { get; init; }

    static readonly string[] GetHead = ["GET", "HEAD"];

    string ListPath => "/" + Path;

    string ItemPath => $"/{Path}/{{{Lookup}}}";

    string ItemRoute => Slug is null ? $"/{Path}/{{{Lookup}:{LowerUuidConstraint.Name}}}" : ItemPath;

    Serializer WriteSerializer(bool creating) => creating ? CreateSerializer ?? Serializer : Serializer;

    Expression<Func<T, TList>> Project(HttpRequest request) =>
        ItemFor?.Invoke(request) ?? Item ?? throw new InvalidOperationException($"/{Path} declares no item projection.");

    public void Map(IEndpointRouteBuilder routes)
    {
        var catalog = routes.ServiceProvider.GetRequiredService<ApiCatalog>();
        catalog.AddResource(this);
        var item = new[] { Lookup };
        var listSerializer = ListSerializer ?? Serializer;
        if (Verbs.HasFlag(Verbs.List))
        {
            Secure(routes.MapMethods(ListPath, GetHead, ListAsync));
            catalog.Add(new ApiOperation(ListPath, "get", Path, "list", null, listSerializer, Filters is null ? null : Filters.Describe, [], 200,
                ListDescription));
        }
        if (Verbs.HasFlag(Verbs.Create))
        {
            Secure(routes.MapPost(ListPath, (HttpContext http, AlyxDb db, CancellationToken ct) => SaveAsync(http, db, null, false, ct)));
            var create = CreateSerializer ?? Serializer;
            catalog.Add(new ApiOperation(ListPath, "post", Path, "create", create, CreateAnswersListItem ? listSerializer : create, null, [], 201,
                CreateDescription));
        }
        if (Verbs.HasFlag(Verbs.Retrieve))
        {
            Secure(routes.MapMethods(ItemRoute, GetHead, RetrieveAsync));
            catalog.Add(new ApiOperation(ItemPath, "get", Path, "read", null, Serializer, null, item, 200, RetrieveDescription));
        }
        if (Verbs.HasFlag(Verbs.Update))
        {
            Secure(routes.MapPut(ItemRoute, (HttpContext http, AlyxDb db, CancellationToken ct) => SaveAsync(http, db, Key(http), false, ct)));
            catalog.Add(new ApiOperation(ItemPath, "put", Path, "update", Serializer, Serializer, null, item, 200));
        }
        if (Verbs.HasFlag(Verbs.PartialUpdate))
        {
            Secure(routes.MapPatch(ItemRoute, (HttpContext http, AlyxDb db, CancellationToken ct) => SaveAsync(http, db, Key(http), true, ct)));
            catalog.Add(new ApiOperation(ItemPath, "patch", Path, "partial_update", Serializer, Serializer, null, item, 200));
        }
        if (Verbs.HasFlag(Verbs.Destroy))
        {
            Secure(routes.MapDelete(ItemRoute, DeleteAsync));
            catalog.Add(new ApiOperation(ItemPath, "delete", Path, "delete", null, null, null, item, 204));
        }
    }

    void Secure(IEndpointConventionBuilder endpoint)
    {
        endpoint.RequireAuthorization(Policy);
    }

    /// <summary>The paginated, filtered list: one query for the page, projected to the DTO, and one for the count when the page does not tell it.</summary>
    public async Task<IResult> ListAsync(HttpRequest req, AlyxDb db, ListCounts counts, CancellationToken ct)
    {
        var parameters = QueryParams.Of(req);
        var page = PageRequest.From(parameters);
        var query = Ordered(db).AsNoTracking();
        if (Filters is not null)
        {
            var (filtered, error) = await Filters.ApplyAsync(db, query, parameters, ct);
            if (error is not null) return error;
            query = filtered;
        }
        var rows = await query.Skip(page.Offset).Take(page.Limit).Select(Project(req)).ToListAsync(ct);
        // A short page that is not past the end tells the count; otherwise count (remembered across pages).
        var count = rows.Count < page.Limit && (rows.Count > 0 || page.Offset == 0)
            ? page.Offset + rows.Count
            : await counts.GetAsync(ListCounts.Key(ListPath, parameters), () => query.CountAsync(ct));
        if (Enrich is not null && rows.Count > 0) await Enrich(db, rows, ct);
        return AlyxResults.Ok(Page.Create(req, page, count, rows));
    }

    /// <summary>The create handler (POST on the list route), for a quirk route that DRF also sends to the list view (Alyx's /water-type/{name}).</summary>
    public Task<IResult> CreateAsync(HttpContext http, AlyxDb db, CancellationToken ct) => SaveAsync(http, db, null, false, ct);

    string Key(HttpContext http) => http.Request.RouteValues[Lookup] as string ?? "";

    Expression<Func<T, bool>> Matches(string key)
    {
        if (Slug is { } slug) return Expr.Equal<T>(slug.Column, key);
        var id = Guid.Parse(key);
        return e => e.Id == id;
    }

    /// <summary>The id of the one row the lookup value selects: 404 naming the model when none, 400 when the slug is ambiguous.</summary>
    async Task<(Guid Id, IResult? Error)> FindAsync(AlyxDb db, string key, CancellationToken ct)
    {
        if (Slug is null) return (Guid.Parse(key), null);
        var (ids, error) = One(await db.Set<T>().Where(Matches(key)).OrderBy(e => e.Id).Select(e => e.Id).Take(2).ToListAsync(ct));
        return (ids.FirstOrDefault(), error);
    }

    /// <summary>The one row (as <paramref name="query"/> shapes it) the lookup value selects, in one query: 404 when none, 400 when ambiguous.</summary>
    async Task<(TRow? Row, IResult? Error)> LoadAsync<TRow>(IQueryable<TRow> query, CancellationToken ct) where TRow : class
    {
        var (rows, error) = One(await query.Take(2).ToListAsync(ct));
        return (rows.FirstOrDefault(), error);
    }

    (List<TRow> Rows, IResult? Error) One<TRow>(List<TRow> rows) => rows.Count switch
    {
        0 => (rows, AlyxResults.NotFound(Model)),
        1 => (rows, null),
        _ => (rows, AlyxResults.BadRequest($"More than one {Model} matches the given query.")),
    };

    async Task<TList?> ReadItemAsync(AlyxDb db, HttpRequest request, Guid id, CancellationToken ct)
    {
        var rows = await db.Set<T>().AsNoTracking().Where(e => e.Id == id).OrderBy(e => e.Id).Select(Project(request)).Take(1).ToListAsync(ct);
        if (rows.Count == 0) return null;
        if (Enrich is not null) await Enrich(db, rows, ct);
        return rows[0];
    }

    async Task<TDetail?> ReadDetailAsync(AlyxDb db, HttpRequest request, Guid id, CancellationToken ct)
    {
        if (ReadDetail is not null) return await ReadDetail(db, request, id, ct);
        if (DetailFor is not null)
            return await db.Set<T>().AsNoTracking().Where(e => e.Id == id).OrderBy(e => e.Id).Select(DetailFor(request)).FirstOrDefaultAsync(ct);
        return await ReadItemAsync(db, request, id, ct) as TDetail;
    }

    async Task<IResult> RetrieveAsync(HttpContext http, AlyxDb db, CancellationToken ct)
    {
        if (ReadDetail is not null || DetailFor is null && typeof(TDetail) != typeof(TList))
        {
            var (id, error) = await FindAsync(db, Key(http), ct);
            if (error is not null) return error;
            var detail = await ReadDetailAsync(db, http.Request, id, ct);
            return detail is null ? AlyxResults.NotFound(Model) : AlyxResults.Ok(detail);
        }
        // A projected detail: the lookup and the projection in one query.
        var rows = db.Set<T>().AsNoTracking().Where(Matches(Key(http))).OrderBy(e => e.Id);
        if (DetailFor is not null)
        {
            var (projected, projectedError) = await LoadAsync(rows.Select(DetailFor(http.Request)), ct);
            return projectedError ?? AlyxResults.Ok(projected);
        }
        var (item, itemError) = await LoadAsync(rows.Select(Project(http.Request)), ct);
        if (itemError is not null) return itemError;
        // Enrich may replace the items of the list it is given (records rebuilt with derived values).
        var page = new List<TList> { item! };
        if (Enrich is not null) await Enrich(db, page, ct);
        return AlyxResults.Ok((TDetail)(object)page[0]);
    }

    async Task<IResult> SaveAsync(HttpContext http, AlyxDb db, string? key, bool partial, CancellationToken ct)
    {
        var creating = key is null;
        T entity;
        if (creating) entity = new T();
        else
        {
            var (found, error) = await LoadAsync(ForUpdate(db.Set<T>()).Where(Matches(key!)).OrderBy(e => e.Id), ct);
            if (error is not null) return error;
            entity = found!;
        }
        var (body, bodyError) = await RequestBody.ReadAsync(http.Request, ct);
        if (bodyError is not null) return bodyError;
        var serializer = WriteSerializer(creating);
        var errors = new ErrorMap();
        var data = serializer.Validate(body!, partial, errors);
        using var write = new ResourceWrite<T>(entity, data, errors, body!, db, http, creating, partial, ct);
        if (creating) Defaults?.Invoke(write);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (entity is AlyxModel model)
        {
            // BaseModel's columns, wherever the serializer offers them.
            if (data.TryGet<string>("name", out var name)) model.Name = name ?? "";
            if (data.TryGet<string>("json", out var json)) model.Json = json;
        }
        if (Write is not null) await Write(write);
        foreach (var unique in Unique) await write.UniqueAsync(unique.Field, unique.Column, unique.Message, unique.NonField);
        if (Refused(write, serializer) is { } refused) return refused;
        if (BeforeSave is not null) await BeforeSave(write);
        if (Refused(write, serializer) is { } refusedBeforeSave) return refusedBeforeSave;
        if (creating) db.Set<T>().Add(entity);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (UniqueViolation is { } violation && DbErrors.IsUniqueViolation(e))
        {
            return AlyxResults.Validation(new ErrorMap().Add(violation.Field, violation.Message), serializer);
        }
        await write.RunSavedAsync();
        if (AfterSave is not null) await AfterSave(write);
        if (Refused(write, serializer) is { } refusedAfterSave) return refusedAfterSave;
        await tx.CommitAsync(ct);
        write.Committed = true;
        if (AfterCommit is not null) await AfterCommit(write);

        object? answer = creating && CreateAnswersListItem
            ? await ReadItemAsync(db, http.Request, entity.Id, ct)
            : await ReadDetailAsync(db, http.Request, entity.Id, ct);
        return creating ? AlyxResults.Created(answer, Location ? (answer as IHasUrl)?.Url : null) : AlyxResults.Ok(answer);
    }

    static IResult? Refused(ResourceWrite<T> write, Serializer serializer) =>
        write.Refusal ?? (write.Errors.Any ? AlyxResults.Validation(write.Errors, serializer) : null);

    async Task<IResult> DeleteAsync(HttpContext http, AlyxDb db, CancellationToken ct)
    {
        var (entity, error) = await LoadAsync(db.Set<T>().Where(Matches(Key(http))).OrderBy(e => e.Id), ct);
        if (error is not null) return error;
        var write = new ResourceWrite<T>(entity!, new Validated(), new ErrorMap(), new RequestData([], null, false), db, http, false, false, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (BeforeDelete is not null) await BeforeDelete(write);
        if (write.Refusal is not null) return write.Refusal;
        db.Set<T>().Remove(entity!);
        await db.SaveChangesAsync(ct);
        if (AfterDelete is not null) await AfterDelete(write);
        await tx.CommitAsync(ct);
        if (Deleted is not null) await Deleted(write);
        return AlyxResults.NoContent();
    }
}

/// <summary>A representation with a hyperlink to itself.</summary>
public interface IHasUrl
{
    string Url { get; }
}

/// <summary>A resource whose list items and detail share one representation.</summary>
public sealed class Resource<T, TItem> : Resource<T, TItem, TItem> where T : class, IEntity, new() where TItem : class;

/// <summary>Routes that are not model resources (actions such as <c>/register-file</c>): mapped and documented in one call.</summary>
public static class ApiRoutes
{
    static readonly string[] GetHead = ["GET", "HEAD"];

    /// <summary>
    /// Maps <paramref name="handler"/> on the operation's path (or <paramref name="route"/>) and records the operation in the <see cref="ApiCatalog"/>.
    /// A GET also answers HEAD unless <paramref name="methods"/> names the methods mapped.
    /// </summary>
    public static RouteHandlerBuilder MapOperation(this IEndpointRouteBuilder routes, ApiOperation operation, Delegate handler, string? route = null,
        string[]? methods = null)
    {
        routes.ServiceProvider.GetRequiredService<ApiCatalog>().Add(operation);
        var pattern = route ?? operation.Path;
        if (methods is not null) return routes.MapMethods(pattern, methods, handler);
        return operation.Method == "get" ? routes.MapMethods(pattern, GetHead, handler) : routes.MapMethods(pattern, [operation.Method.ToUpperInvariant()], handler);
    }
}

/// <summary>Alyx's UUID path segments: lowercase, hyphenated; anything else matches no route (an HTML 404).</summary>
public sealed partial class LowerUuidConstraint : IRouteConstraint
{
    public const string Name = "alyxuuid";

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Pattern();

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var v) && v is string s && Pattern().IsMatch(s);
}
