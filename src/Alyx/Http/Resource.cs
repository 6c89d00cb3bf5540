using System.Linq.Expressions;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Filtering;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

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

    /// <summary>The representation POST validates, where it differs from <see cref="Serializer"/>.</summary>
    Serializer? CreateSerializer { get; }

    /// <summary>The list items' representation, where it differs from <see cref="Serializer"/>.</summary>
    Serializer? ListSerializer { get; }

    /// <summary>The route parameter of <c>/{Path}/{Lookup}</c>: a slug column's name, or <c>id</c> for a lowercase-UUID key.</summary>
    string Lookup { get; }

    Verbs Verbs { get; }

    /// <summary>False for a declaration registered for the admin pages only (<c>Register</c>): the REST API maps none of its routes.</summary>
    bool Served { get; }

    /// <summary>The slug column's name (<c>nickname</c>), or null when rows are looked up by id.</summary>
    string? SlugName { get; }

    /// <summary>The primary key's type: <see cref="Guid"/>, or <see cref="int"/> for an integer-keyed model (<c>IntegerId</c>).</summary>
    Type KeyType { get; }

    /// <summary>
    /// The write path of POST (<paramref name="id"/> null) or PATCH on behalf of the admin pages: the same validation, hooks
    /// and words as the REST API, from a body the page built. It joins the caller's transaction when one is open (the caller
    /// commits, so a page can write several rows at once), else runs in its own.
    /// </summary>
    Task<ResourceOutcome> WriteAsync(HttpContext http, AlyxDb db, object? id, RequestData body, CancellationToken ct);

    /// <summary>The delete path of the REST API (its hooks and refusals) for the admin pages; it joins the caller's transaction as <see cref="WriteAsync"/>.</summary>
    Task<ResourceOutcome> DeleteAsync(HttpContext http, AlyxDb db, object id, CancellationToken ct);

    /// <summary>Hands the typed declaration to generic code that needs its entity and item types (the admin's queries).</summary>
    TResult Accept<TResult>(IResourceVisitor<TResult> visitor);

    /// <summary>The REST detail representation of a row as JSON (what the admin's change form shows); null when none.</summary>
    Task<System.Text.Json.Nodes.JsonObject?> ReadJsonAsync(AlyxDb db, HttpRequest request, object id, CancellationToken ct);
}

/// <summary>Generic code over a resource's types, called back by <see cref="IResource.Accept"/>.</summary>
public interface IResourceVisitor<out TResult>
{
    TResult Visit<T, TList, TDetail>(Resource<T, TList, TDetail> resource) where T : class, IEntity, new() where TList : class where TDetail : class;
}

/// <summary>
/// The end of a write: the row's id on success; else the field errors (DRF's messages), a hook's refusal, or another answer
/// (<see cref="Error"/>: not found, a bad body) as the REST API gives it.
/// </summary>
public sealed record ResourceOutcome(Guid? Id, ErrorMap Errors, string? Refused = null, IResult? Error = null, IResult? Answer = null)
{
    public bool Succeeded => Id is not null && Error is null;

    /// <summary>The row's primary key on success: <see cref="Id"/>, or the integer of an integer-keyed model.</summary>
    public object? Key { get; init; }
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

    /// <summary>
    /// POST also takes a JSON array of objects (DRF's <c>many=True</c> serializer, Alyx's /channels): each is validated and written as a
    /// single create would be, all in one transaction, and the answer is the array of created items; any invalid item writes nothing
    /// and answers 400 with one error object per item (<c>{}</c> for the valid ones).
    /// </summary>
    public bool BulkCreate { get; init; }

    /// <summary>A create answers with the list item rather than the detail (DRF views whose POST uses the list serializer).</summary>
    public bool CreateAnswersListItem { get; init; }

    /// <summary>The slug column of <c>/{Path}/{name}</c>; null for a lowercase-UUID <c>{id}</c> lookup.</summary>
    public (string Name, Expression<Func<T, string>> Column)? Slug { get; init; }

    /// <summary>
    /// The key column of a model with an integer primary key (brain regions: the Allen structure id), looked up as <c>/{Path}/{id}</c>;
    /// a value that is not a number finds nothing (404), as Django's lookup. Such a resource offers no create and no custom detail.
    /// </summary>
    public Expression<Func<T, int>>? IntegerId { get; init; }

    public string Lookup => Slug?.Name ?? "id";

    public Type KeyType => IntegerId is null ? typeof(Guid) : typeof(int);

    /// <summary>The row whose primary key is <paramref name="key"/> (a <see cref="Guid"/>, or an <see cref="int"/> for <see cref="IntegerId"/>).</summary>
    public Expression<Func<T, bool>> KeyEquals(object key)
    {
        if (IntegerId is { } column) return key is int number ? Expr.Equal<T>(column, number) : _ => false;
        if (key is not Guid id) return _ => false;
        return e => e.Id == id;
    }

    /// <summary>The primary key of a row, boxed (for projections and ordering whatever the key's type).</summary>
    public Expression<Func<T, object>> KeyOf => IntegerId is { } column
        ? Expression.Lambda<Func<T, object>>(Expression.Convert(column.Body, typeof(object)), column.Parameters)
        : e => e.Id;

    Func<T, int>? integerKey;

    object KeyValue(T entity) => IntegerId is { } column ? (integerKey ??= column.Compile())(entity) : entity.Id;

    /// <summary>
    /// Records the declaration for the admin pages only (a model the REST API does not serve, such as Django's auth groups):
    /// no route is mapped and nothing is added to the OpenAPI document.
    /// </summary>
    public void Register(IEndpointRouteBuilder routes) => routes.ServiceProvider.GetRequiredService<ApiCatalog>().AddResource(this);

    public bool Served { get; private set; }

    public string? SlugName => Slug?.Name;

    public TResult Accept<TResult>(IResourceVisitor<TResult> visitor) => visitor.Visit(this);

    public Verbs Verbs { get; init; } = Verbs.All;

    /// <summary>Who may reach the routes: Alyx's REST rule unless said otherwise (an <see cref="AlyxPolicy"/> name).</summary>
    public string Policy { get; init; } = AlyxPolicy.Api;

    /// <summary>The list's rows in the model's Meta ordering, ties broken by id (and any includes the projection needs).</summary>
    public required Func<AlyxDb, IQueryable<T>> Ordered { get; init; }

    public Expression<Func<T, TList>>? Item { get; init; }

    /// <summary>A projection that needs the request (absolute <c>url</c> fields); used instead of <see cref="Item"/>.</summary>
    public Func<HttpRequest, Expression<Func<T, TList>>>? ItemFor { get; init; }

    /// <summary>
    /// The list's items load collections in split queries and the page's own statement is costly (an order or filters that read
    /// other tables): the page's ids are read first, in one statement, and the items then by id (<see cref="ReadPageByIdsAsync"/>).
    /// Not worth it where the order is an index's and the page a range of it: the ids then cost a statement more than they save.
    /// </summary>
    public bool PageByIds { get; init; }

    /// <summary>Derived values of a page of items that need one more (batched) query.</summary>
    public Func<AlyxDb, List<TList>, CancellationToken, Task>? Enrich { get; init; }

    /// <summary>The detail projection, where the detail is not the list item.</summary>
    public Func<HttpRequest, Expression<Func<T, TDetail>>>? DetailFor { get; init; }

    /// <summary>A detail read in several queries (nested collections); null when the row does not exist.</summary>
    public Func<AlyxDb, HttpRequest, Guid, CancellationToken, Task<TDetail?>>? ReadDetail { get; init; }

    /// <summary>
    /// The answer of a create, where a row just made needs fewer reads than <see cref="ReadDetail"/>: collections that only
    /// other requests fill stay empty until the server-made id has been answered. Null: the detail, as a retrieve reads it.
    /// </summary>
    public Func<AlyxDb, HttpRequest, Guid, CancellationToken, Task<TDetail?>>? ReadCreated { get; init; }

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

    /// <summary>
    /// <see cref="Write"/>, the <see cref="Unique"/> checks and <see cref="BeforeSave"/> of a create only read (references,
    /// defaults, refusals), so a create without an <c>Idempotency-Key</c> runs them before its transaction begins: the
    /// transaction then holds only the save and <see cref="AfterSave"/> (on SQLite, the write queue's turn too). Reads in a
    /// READ COMMITTED transaction see each statement's own snapshot anyway; the database's constraints still guard the save.
    /// </summary>
    public bool CreateChecksOnlyRead { get; init; }

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

    string ItemRoute => Slug is null && IntegerId is null ? $"/{Path}/{{{Lookup}:{LowerUuidConstraint.Name}}}" : ItemPath;

    Serializer WriteSerializer(bool creating) => creating ? CreateSerializer ?? Serializer : Serializer;

    internal Expression<Func<T, TList>> Project(HttpRequest request) =>
        ItemFor?.Invoke(request) ?? Item ?? throw new InvalidOperationException($"/{Path} declares no item projection.");

    public void Map(IEndpointRouteBuilder routes)
    {
        var catalog = routes.ServiceProvider.GetRequiredService<ApiCatalog>();
        Served = true;
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
            Secure(routes.MapDelete(ItemRoute, DeleteRouteAsync));
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
        var paged = page.Of(query, db.Provider);
        List<TList> rows;
        int selected;
        if (ReadsPageByIds(db, query))
        {
            var ids = await paged.Select(e => e.Id).ReadListAsync(db, ct);
            // The page's size as its ids read it (a row deleted before the items are read must not shorten the count).
            selected = ids.Count;
            rows = await ReadPageByIdsAsync(db, req, ids, ct);
        }
        else
        {
            rows = await paged.Select(Project(req)).ReadListAsync(db, ct);
            selected = rows.Count;
        }
        // A short page that is not past the end tells the count; otherwise count (remembered across pages).
        var count = selected < page.Limit && (selected > 0 || page.Offset == 0)
            ? page.Offset + selected
            : await counts.GetAsync(ListCounts.Key(ListPath, parameters), () => query.CountAsync(ct));
        if (Enrich is not null && rows.Count > 0) await Enrich(db, rows, ct);
        return AlyxResults.Ok(Page.Create(req, page, count, rows));
    }

    readonly bool?[] splits = new bool?[Enum.GetValues<DatabaseProvider>().Length];

    /// <summary>Whether this list reads its page's ids first: declared, and its query split on this provider (decided once per provider).</summary>
    bool ReadsPageByIds(AlyxDb db, IQueryable<T> query) => PageByIds && (splits[(int)db.Provider] ??= SplitQueries.Splits(query));

    /// <summary>
    /// The page's items from its ids, in the list's order. A split query repeats the page's statement (filters, order, limit)
    /// under each collection's statement; with the ids read first, the filters and the order of the whole selection run once
    /// and every statement of the projection reads only the page's rows by primary key.
    /// </summary>
    async Task<List<TList>> ReadPageByIdsAsync(AlyxDb db, HttpRequest req, List<Guid> ids, CancellationToken ct) => ids.Count == 0
        ? []
        : await Ordered(db).AsNoTracking().Where(e => ids.Contains(e.Id)).Select(Project(req)).ReadListAsync(db, ct);

    /// <summary>The create handler (POST on the list route), for a quirk route that DRF also sends to the list view (Alyx's /water-type/{name}).</summary>
    public Task<IResult> CreateAsync(HttpContext http, AlyxDb db, CancellationToken ct) => SaveAsync(http, db, null, false, ct);

    string Key(HttpContext http) => http.Request.RouteValues[Lookup] as string ?? "";

    Expression<Func<T, bool>> Matches(string key)
    {
        if (Slug is { } slug) return Expr.Equal<T>(slug.Column, key);
        if (IntegerId is { } column)
        {
            return int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? Expr.Equal<T>(column, number)
                : _ => false;
        }
        var id = Guid.Parse(key);
        return e => e.Id == id;
    }

    /// <summary>Rows in key order (a lookup reads at most two: ordered, so that the row limit is deterministic).</summary>
    IQueryable<T> ByKey(IQueryable<T> rows) => IntegerId is { } column ? rows.OrderBy(column) : rows.OrderBy(e => e.Id);

    /// <summary>The id of the one row the lookup value selects: 404 naming the model when none, 400 when the slug is ambiguous.</summary>
    async Task<(Guid Id, IResult? Error)> FindAsync(AlyxDb db, string key, CancellationToken ct)
    {
        if (Slug is not { } slug) return (Guid.Parse(key), null);
        var ids = new List<Guid>(1);
        await foreach (var id in (slugIds ??= Slugs.IdLookup(slug.Column))(db, key).WithCancellation(ct)) ids.Add(id);
        var (_, error) = One(ids);
        return (ids.FirstOrDefault(), error);
    }

    /// <summary>The compiled lookup of ids by slug (<see cref="Slugs.IdLookup{T}"/>), made on first use: a race makes it twice, harmlessly.</summary>
    Func<AlyxDb, string, IAsyncEnumerable<Guid>>? slugIds;

    /// <summary>The one row (as <paramref name="query"/> shapes it) the lookup value selects, in one query: 404 when none, 400 when ambiguous.</summary>
    async Task<(TRow? Row, IResult? Error)> LoadAsync<TRow>(IQueryable<TRow> query, CancellationToken ct) where TRow : class
    {
        var (rows, error) = One(await query.TakeInline(2).ToListAsync(ct));
        return (rows.FirstOrDefault(), error);
    }

    (List<TRow> Rows, IResult? Error) One<TRow>(List<TRow> rows) => rows.Count switch
    {
        0 => (rows, AlyxResults.NotFound(Model)),
        1 => (rows, null),
        _ => (rows, AlyxResults.BadRequest($"More than one {Model} matches the given query.")),
    };

    async Task<TList?> ReadItemAsync(AlyxDb db, HttpRequest request, Expression<Func<T, bool>> which, CancellationToken ct)
    {
        var rows = await ByKey(db.Set<T>().AsNoTracking().Where(which)).Select(Project(request)).TakeInline(1).ToListAsync(ct);
        if (rows.Count == 0) return null;
        if (Enrich is not null) await Enrich(db, rows, ct);
        return rows[0];
    }

    async Task<TDetail?> ReadDetailAsync(AlyxDb db, HttpRequest request, Guid id, CancellationToken ct)
    {
        if (ReadDetail is not null) return await ReadDetail(db, request, id, ct);
        if (DetailFor is not null)
            return await db.Set<T>().AsNoTracking().Where(e => e.Id == id).OrderBy(e => e.Id).Select(DetailFor(request)).FirstOrDefaultAsync(ct);
        return await ReadItemAsync(db, request, e => e.Id == id, ct) as TDetail;
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
        var rows = ByKey(db.Set<T>().AsNoTracking().Where(Matches(Key(http))));
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
        var (body, bodyError) = await RequestBody.ReadAsync(http.Request, ct, acceptList: creating && BulkCreate);
        if (bodyError is not null) return bodyError;
        if (body!.Items is { } items) return await SaveManyAsync(http, db, items, ct);
        IdempotentCreate? idempotent = null;
        if (creating)
        {
            (idempotent, var keyError) = IdempotentCreate.From(http, body!);
            if (keyError is not null) return keyError;
            if (idempotent is not null && await idempotent.ReplayAsync(db, ct) is { } replay) return replay;
        }
        var outcome = await WriteCoreAsync(http, db, creating ? null : Matches(key!), body!, partial, ct, idempotent);
        if (outcome.Error is not null) return outcome.Error;
        if (outcome.Answer is not null) return outcome.Answer;
        var entityId = outcome.Id!.Value;
        // An integer-keyed row is read back by its key, which no write changes.
        object? answer = IntegerId is not null && key is not null ? await ReadItemAsync(db, http.Request, Matches(key), ct)
            : creating ? await CreatedAnswerAsync(db, http.Request, entityId, ct)
            : await ReadDetailAsync(db, http.Request, entityId, ct);
        return creating ? AlyxResults.Created(answer, Location ? (answer as IHasUrl)?.Url : null) : AlyxResults.Ok(answer);
    }

    public async Task<ResourceOutcome> WriteAsync(HttpContext http, AlyxDb db, object? id, RequestData body, CancellationToken ct)
    {
        var outcome = await WriteCoreAsync(http, db, id is { } key ? KeyEquals(key) : null, body, id is not null, ct);
        // A page shows field errors and refusals in its form; Error is left for the other answers (no such row).
        return outcome.Errors.Any || outcome.Refused is not null ? outcome with { Error = null } : outcome;
    }

    /// <summary>Create (<paramref name="match"/> null) or update of the one row <paramref name="match"/> selects.</summary>
    async Task<ResourceOutcome> WriteCoreAsync(HttpContext http, AlyxDb db, Expression<Func<T, bool>>? match, RequestData body, bool partial,
        CancellationToken ct, IdempotentCreate? idempotent = null)
    {
        var creating = match is null;
        T entity;
        if (creating) entity = new T();
        else
        {
            var (found, error) = await LoadAsync(ByKey(ForUpdate(db.Set<T>()).Where(match!)), ct);
            if (error is not null) return new ResourceOutcome(null, new ErrorMap(), null, error);
            entity = found!;
        }
        var serializer = WriteSerializer(creating);
        var errors = new ErrorMap();
        var data = serializer.Validate(body, partial, errors);
        using var write = new ResourceWrite<T>(entity, data, errors, body, db, http, creating, partial, ct);
        if (creating) Defaults?.Invoke(write);

        // A page may write several rows at once in its own transaction; it commits them.
        var own = db.Database.CurrentTransaction is null;
        var checksFirst = own && creating && idempotent is null && CreateChecksOnlyRead;
        IDbContextTransaction? tx = null;
        // The transaction's own: a failed statement ends the request, so EF's savepoint around each save (two more
        // statements per save) would never be rolled back to.
        var savepoints = db.Database.AutoSavepointsEnabled;
        if (own) db.Database.AutoSavepointsEnabled = false;
        try
        {
            if (own && !checksFirst) tx = await db.Database.BeginTransactionAsync(ct);
            if (idempotent is not null && !await idempotent.ClaimAsync(db, ct))
            {
                if (tx is not null) await tx.RollbackAsync(ct);
                return new ResourceOutcome(null, new ErrorMap(), null, await idempotent.AfterLostClaimAsync(db, ct));
            }
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
            if (checksFirst) tx = await db.Database.BeginTransactionAsync(ct);
            return await SaveCoreAsync(http, db, entity, write, serializer, tx, errors, creating, idempotent, ct);
        }
        finally
        {
            if (tx is not null) await tx.DisposeAsync();
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }

    /// <summary>The save, <see cref="AfterSave"/>, the idempotent answer and the commit of <see cref="WriteCoreAsync"/>.</summary>
    async Task<ResourceOutcome> SaveCoreAsync(HttpContext http, AlyxDb db, T entity, ResourceWrite<T> write, Serializer serializer,
        IDbContextTransaction? tx, ErrorMap errors, bool creating, IdempotentCreate? idempotent, CancellationToken ct)
    {
        if (creating) db.Set<T>().Add(entity);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (UniqueViolation is { } violation && DbErrors.IsUniqueViolation(e))
        {
            var unique = new ErrorMap().Add(violation.Field, violation.Message);
            return new ResourceOutcome(null, unique, null, AlyxResults.Validation(unique, serializer));
        }
        await write.RunSavedAsync();
        if (AfterSave is not null) await AfterSave(write);
        if (Refused(write, serializer) is { } refusedAfterSave) return refusedAfterSave;
        IResult? answer = null;
        if (idempotent is not null)
        {
            // The answer is read in the transaction and stored with the key, so a repetition gets these very bytes.
            var created = await CreatedAnswerAsync(db, http.Request, entity.Id, ct);
            answer = await idempotent.CompleteAsync(db, StatusCodes.Status201Created, created, Location ? (created as IHasUrl)?.Url : null, ct);
        }
        // In a caller's transaction, that transaction commits later (and AfterCommit runs already now).
        if (tx is not null) await tx.CommitAsync(ct);
        write.Committed = true;
        if (AfterCommit is not null) await AfterCommit(write);
        // An integer-keyed row has no UUID; SaveAsync reads it back by its key.
        return new ResourceOutcome(IntegerId is null ? entity.Id : Guid.Empty, errors, null, null, answer) { Key = KeyValue(entity) };
    }

    public async Task<ResourceOutcome> DeleteAsync(HttpContext http, AlyxDb db, object id, CancellationToken ct)
    {
        var entity = await db.Set<T>().Where(KeyEquals(id)).FirstOrDefaultAsync(ct);
        if (entity is null) return new ResourceOutcome(null, new ErrorMap(), Error: AlyxResults.NotFound(Model));
        var (refusal, refused) = await DeleteEntityAsync(http, db, entity, ct);
        return refusal is null ? new ResourceOutcome(id as Guid? ?? Guid.Empty, new ErrorMap()) { Key = id } : new ResourceOutcome(null, new ErrorMap(), refused, refused is null ? refusal : null);
    }

    /// <summary>A bulk create (<see cref="BulkCreate"/>): every item through the single-create steps, one save, one transaction.</summary>
    async Task<IResult> SaveManyAsync(HttpContext http, AlyxDb db, JsonArray items, CancellationToken ct)
    {
        var serializer = WriteSerializer(true);
        var writes = new List<ResourceWrite<T>>();
        var errors = new List<ErrorMap>();
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var node in items)
            {
                var map = new ErrorMap();
                errors.Add(map);
                if (node is not JsonObject fields)
                {
                    var type = node switch { JsonArray => "list", JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => "str", _ => "int" };
                    map.Add("non_field_errors", $"Invalid data. Expected a dictionary, but got {type}.");
                    continue;
                }
                var body = new RequestData(fields, null, false);
                var entity = new T();
                var data = serializer.Validate(body, false, map);
                var write = new ResourceWrite<T>(entity, data, map, body, db, http, true, false, ct);
                writes.Add(write);
                Defaults?.Invoke(write);
                if (entity is AlyxModel model)
                {
                    if (data.TryGet<string>("name", out var name)) model.Name = name ?? "";
                    if (data.TryGet<string>("json", out var json)) model.Json = json;
                }
                if (Write is not null) await Write(write);
                foreach (var unique in Unique) await write.UniqueAsync(unique.Field, unique.Column, unique.Message, unique.NonField);
                if (!map.Any && BeforeSave is not null) await BeforeSave(write);
                if (write.Refusal is not null) return write.Refusal;
                if (!map.Any) db.Set<T>().Add(entity);
            }
            if (errors.Exists(e => e.Any)) return ManyErrors(errors, serializer);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (UniqueViolation is { } violation && DbErrors.IsUniqueViolation(e))
            {
                return AlyxResults.Validation(new ErrorMap().Add(violation.Field, violation.Message), serializer);
            }
            foreach (var write in writes)
            {
                await write.RunSavedAsync();
                if (AfterSave is not null) await AfterSave(write);
                if (Refused(write, serializer) is { } refused) return refused.Error!;
            }
            await tx.CommitAsync(ct);
            foreach (var write in writes) write.Committed = true;
            foreach (var write in writes.Where(_ => AfterCommit is not null)) await AfterCommit!(write);
        }
        finally
        {
            foreach (var write in writes) write.Dispose();
        }
        var answers = new List<object?>();
        foreach (var write in writes)
        {
            var id = write.Entity.Id;
            answers.Add(CreateAnswersListItem ? await ReadItemAsync(db, http.Request, e => e.Id == id, ct) : await ReadDetailAsync(db, http.Request, id, ct));
        }
        return AlyxResults.Created(answers, null);
    }

    /// <summary>DRF's ListSerializer errors: one object per item, in order, empty for the valid ones.</summary>
    static IResult ManyErrors(List<ErrorMap> errors, Serializer serializer)
    {
        var list = new JsonArray();
        foreach (var map in errors)
        {
            var body = map.Any ? map.ToBody(serializer) : [];
            body.Remove("status_code");
            list.Add(body);
        }
        return new AlyxJsonResult(list, StatusCodes.Status400BadRequest);
    }

    async Task<object?> CreatedAnswerAsync(AlyxDb db, HttpRequest request, Guid id, CancellationToken ct) => CreateAnswersListItem
        ? await ReadItemAsync(db, request, e => e.Id == id, ct)
        : ReadCreated is not null ? await ReadCreated(db, request, id, ct)
        : await ReadDetailAsync(db, request, id, ct);

    public async Task<System.Text.Json.Nodes.JsonObject?> ReadJsonAsync(AlyxDb db, HttpRequest request, object id, CancellationToken ct)
    {
        // An integer-keyed row is read as its item (such a resource has no custom detail).
        var detail = IntegerId is not null ? await ReadItemAsync(db, request, KeyEquals(id), ct) as object
            : id is Guid guid ? await ReadDetailAsync(db, request, guid, ct) : null;
        return detail is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(detail, detail.GetType(), AlyxJson.Options) as System.Text.Json.Nodes.JsonObject;
    }

    static ResourceOutcome? Refused(ResourceWrite<T> write, Serializer serializer) =>
        write.Refusal is { } refusal ? new ResourceOutcome(null, write.Errors, write.RefusalDetail, refusal)
        : write.Errors.Any ? new ResourceOutcome(null, write.Errors, null, AlyxResults.Validation(write.Errors, serializer)) : null;

    async Task<IResult> DeleteRouteAsync(HttpContext http, AlyxDb db, CancellationToken ct)
    {
        var (entity, error) = await LoadAsync(ByKey(db.Set<T>().Where(Matches(Key(http)))), ct);
        if (error is not null) return error;
        var (refusal, _) = await DeleteEntityAsync(http, db, entity!, ct);
        return refusal ?? AlyxResults.NoContent();
    }

    /// <summary>The delete with its hooks, in one transaction: null on success, else the hook's refusal (and its words).</summary>
    async Task<(IResult? Refusal, string? Detail)> DeleteEntityAsync(HttpContext http, AlyxDb db, T entity, CancellationToken ct)
    {
        var write = new ResourceWrite<T>(entity, new Validated(), new ErrorMap(), new RequestData([], null, false), db, http, false, false, ct);
        // As a write: a page that deletes with other writes (inline rows) holds the transaction and commits it.
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        if (BeforeDelete is not null) await BeforeDelete(write);
        if (write.Refusal is not null) return (write.Refusal, write.RefusalDetail);
        db.Set<T>().Remove(entity);
        await db.SaveChangesAsync(ct);
        if (AfterDelete is not null) await AfterDelete(write);
        if (tx is not null) await tx.CommitAsync(ct);
        if (Deleted is not null) await Deleted(write);
        return (null, null);
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
