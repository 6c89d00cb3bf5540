using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Alyx.Database.Import;

/// <summary>
/// Loads Django <c>dumpdata</c> files (conventions §18): raw rows, primary keys and relations kept, no business logic.
/// Reading streams the records and keeps only converted rows of supported models (later records replace earlier ones
/// with the same pk); every reference is then checked against the dump and the database; writing happens in one
/// transaction, parents before children, with insert-or-replace by primary key, so a second import changes nothing
/// and a failed one leaves the database as it was.
/// </summary>
public sealed class DumpImporter
{
    readonly AlyxDb db;
    readonly ImportProgress? progress;
    readonly List<ModelMapper> mappers;
    readonly Dictionary<string, ModelMapper> byLabel;
    readonly Dictionary<IEntityType, ModelMapper> byEntity;
    readonly HashSet<(ModelMapper, int)> backEdges = [];

    /// <summary>An importer for <paramref name="db"/>; <paramref name="progress"/> is where to draw a progress bar (a terminal), or null.</summary>
    public DumpImporter(AlyxDb db, AlyxClock clock, TextWriter? progress = null, DumpModelRegistry? registry = null)
    {
        this.db = db;
        this.progress = progress is null ? null : new ImportProgress(progress);
        var entities = db.Model.GetEntityTypes().Where(e => e.ModelLabelOf() is not null).ToDictionary(e => e.ModelLabelOf()!);
        var bound = (registry ?? DumpModelRegistry.Default).Models.Select(m => entities.TryGetValue(m.Label, out var entity)
            ? new ModelMapper(m, entity, clock)
            : throw new InvalidOperationException($"Dump model {m.Label} has no entity with that model label.")).ToList();
        byEntity = bound.ToDictionary(m => (IEntityType)m.Entity);
        mappers = OrderParentsFirst(bound);
        byLabel = mappers.ToDictionary(m => m.Label);
    }

    /// <summary>The mappers of the supported models, parents first.</summary>
    internal IReadOnlyList<ModelMapper> Mappers => mappers;

    /// <summary>Supported model labels, in write order.</summary>
    public IReadOnlyList<string> SupportedModels => [.. mappers.Select(m => m.Label)];

    /// <summary>Reads, checks and writes <paramref name="files"/> (later files win); the schema must exist.</summary>
    public async Task<DumpImportReport> ImportAsync(IReadOnlyList<string> files, CancellationToken ct = default)
    {
        var contents = await ReadAsync(files, ct);
        return await WriteAsync(contents, ct);
    }

    /// <summary>Streams the files into converted rows. Touches no database.</summary>
    public async Task<DumpContents> ReadAsync(IReadOnlyList<string> files, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var contents = new DumpContents(mappers);
        foreach (var file in files)
        {
            await foreach (var record in DumpReader.ReadAsync(file, progress, ct))
            {
                contents.Records++;
                if (!byLabel.TryGetValue(record.Model, out var mapper))
                {
                    contents.Skipped[record.Model] = contents.Skipped.GetValueOrDefault(record.Model) + 1;
                    continue;
                }
                DumpRow row;
                try
                {
                    row = mapper.Map(record.File, record.Index, mapper.ParsePk(record.Pk), record.Fields);
                }
                catch (FormatException e)
                {
                    throw new DumpImportException($"{record.File}, record {record.Index} ({record.Model} pk={record.Pk.GetRawText()}): {e.Message}", e);
                }
                var rows = contents.Rows[mapper];
                if (rows.TryGetValue(row.Pk, out var earlier))
                {
                    // As if loaded one after the other: a later record without a many-to-many key keeps the earlier links.
                    for (var l = 0; l < row.Links.Length; l++) row.Links[l] ??= earlier.Links[l];
                }
                rows[row.Pk] = row;
            }
        }
        progress?.Done();
        contents.ReadTime = clock.Elapsed;
        return contents;
    }

    /// <summary>Checks every reference, then writes everything in one transaction.</summary>
    public Task<DumpImportReport> WriteAsync(DumpContents contents, CancellationToken ct = default) => WriteAsync(contents, false, ct);

    /// <summary>
    /// Checks every reference, then writes everything in one transaction. With <paramref name="replace"/>, the same transaction
    /// first empties every table but the content types (a restore: the database then holds exactly the dump's rows).
    /// </summary>
    public async Task<DumpImportReport> WriteAsync(DumpContents contents, bool replace, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var writer = new DumpWriter(db, tx.GetDbTransaction(), progress);
            await writer.ExecuteAsync(db.Provider == DatabaseProvider.Sqlite ? "PRAGMA defer_foreign_keys = ON" : "SET CONSTRAINTS ALL DEFERRED", ct);
            if (replace) await EmptyTablesAsync(writer, ct);
            await ResolveContentTypesAsync(contents, ct);
            await ResolveGroupsAsync(contents, writer, ct);
            await CheckReferencesAsync(contents, writer, ct);
            await RevokeTokensAsync(contents, ct);
            try
            {
                var sentinels = new List<(ModelMapper Mapper, object Stale)>();
                foreach (var mapper in mappers)
                {
                    if (await writer.MoveSentinelAsync(mapper, contents.Rows[mapper].Values, ct) is { } stale) sentinels.Add((mapper, stale));
                }
                foreach (var mapper in mappers)
                {
                    var deferred = Enumerable.Range(1, mapper.Columns.Length - 1).Where(i => backEdges.Contains((mapper, i))).ToArray();
                    await writer.UpsertAsync(mapper, contents.Rows[mapper].Values, deferred, ct);
                }
                foreach (var (mapper, stale) in sentinels) await writer.ReplaceSentinelAsync(mapper, contents.Rows[mapper].Values, stale, ct);
                foreach (var mapper in mappers)
                {
                    var deferred = Enumerable.Range(1, mapper.Columns.Length - 1).Where(i => backEdges.Contains((mapper, i))).ToArray();
                    if (deferred.Length > 0) await writer.UpdateDeferredAsync(mapper, contents.Rows[mapper].Values, deferred, ct);
                }
                foreach (var mapper in mappers)
                {
                    for (var l = 0; l < mapper.Links.Length; l++) await writer.ReplaceLinksAsync(mapper, l, contents.Rows[mapper].Values, ct);
                }
            }
            catch (DbException e)
            {
                throw new DumpImportException($"writing {writer.Current}: {e.Message.Trim()}", e);
            }
            await tx.CommitAsync(ct);
            // Rows written through bulk commands, which the context's WriteTracker does not see.
            WriteTracker.Of(db)?.Invalidate();
        }
        catch (DbException e)
        {
            throw new DumpImportException($"the database refused the import: {e.Message.Trim()}", e);
        }
        finally
        {
            progress?.Done();
            await db.Database.CloseConnectionAsync();
        }
        return new DumpImportReport(
            [.. mappers.Select(m => (m.Label, contents.Rows[m].Count)).Where(x => x.Item2 > 0)],
            contents.Skipped.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value)).ToList(),
            [.. mappers.SelectMany(m => m.UnknownFields.Select(f => $"{m.Label}.{f.Key} ({f.Value} records)"))],
            contents.Records, contents.ReadTime + clock.Elapsed);
    }

    /// <summary>
    /// Users whose stored password the dump changes, or whom it makes (or keeps) inactive, lose their tokens before the
    /// rows are written, as a password change or a deactivation on this server does (<see cref="Auth.TokenRevocation"/>);
    /// tokens the dump carries are written afterwards.
    /// </summary>
    async Task RevokeTokensAsync(DumpContents contents, CancellationToken ct)
    {
        if (!byLabel.TryGetValue("misc.labmember", out var users) || contents.Rows[users].Count == 0) return;
        int password = users.ColumnOf("password"), active = users.ColumnOf("is_active");
        var imported = contents.Rows[users].Values.ToDictionary(r => (Guid)r.Pk, r => (Password: r.Values[password] as string, Active: r.Values[active] is true));
        var revoked = new List<Guid>();
        foreach (var batch in imported.Keys.Chunk(500))
        {
            var stored = await db.Users.AsNoTracking().Where(u => batch.Contains(u.Id)).Select(u => new { u.Id, u.Password }).ToListAsync(ct);
            revoked.AddRange(stored.Where(u => !imported[u.Id].Active || !string.Equals(imported[u.Id].Password, u.Password, StringComparison.Ordinal)).Select(u => u.Id));
        }
        await Auth.TokenRevocation.RevokeAsync(db, revoked, ct);
    }

    /// <summary>Deletes every row of every table of the model except the content types (which dumps name by natural key).</summary>
    async Task EmptyTablesAsync(DumpWriter writer, CancellationToken ct)
    {
        var contentTypes = db.Model.FindEntityType(typeof(Misc.ContentType))!.GetTableName();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Where(t => t != contentTypes)
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (db.Provider == DatabaseProvider.Postgres)
        {
            // One statement for all tables: foreign keys among them (cycles included) do not stand in the way.
            await writer.ExecuteAsync("TRUNCATE " + string.Join(", ", tables.Select(t => $"\"{t}\"")), ct);
            return;
        }
        // SQLite: the foreign keys are deferred to the commit, so the order does not matter.
        foreach (var table in tables) await writer.ExecuteAsync($"DELETE FROM \"{table}\"", ct);
    }

    /// <summary>Content types given by natural key become this database's ids (integer ids are kept as they are).</summary>
    async Task ResolveContentTypesAsync(DumpContents contents, CancellationToken ct)
    {
        Dictionary<(string, string), int>? ids = null;
        foreach (var mapper in mappers)
        {
            foreach (var row in contents.Rows[mapper].Values)
            {
                for (var i = 1; i < row.Values.Length; i++)
                {
                    if (row.Values[i] is not ContentTypeKey key) continue;
                    ids ??= (await db.ContentTypes.AsNoTracking().ToListAsync(ct)).ToDictionary(c => (c.AppLabel, c.Model), c => c.Id);
                    row.Values[i] = ids.TryGetValue((key.AppLabel, key.Model), out var id) ? id
                        : throw new DumpImportException($"{Describe(mapper, row, mapper.Columns[i].Field)} names content type " +
                            $"{key.AppLabel}.{key.Model}, which this server does not have.");
                }
            }
        }
    }

    /// <summary>
    /// Groups given by natural key become ids (the dump's groups, else this database's); links declared with
    /// <see cref="DumpModel.DropMissingLinks"/> lose the targets that are neither in the dump nor in the database.
    /// </summary>
    async Task ResolveGroupsAsync(DumpContents contents, DumpWriter writer, CancellationToken ct)
    {
        Dictionary<string, int>? byName = null;
        foreach (var mapper in mappers)
        {
            for (var l = 0; l < mapper.Links.Length; l++)
            {
                var link = mapper.Links[l];
                var lenient = mapper.Model.LenientLinks.Contains(link.Field);
                var rows = contents.Rows[mapper].Values.Where(r => r.Links[l] is not null).ToList();
                if (rows.Count == 0) continue;
                if (link.Target.ClrType == typeof(Misc.Group) && rows.Exists(r => r.Links[l]!.Any(k => k is GroupKey)))
                {
                    if (byName is null)
                    {
                        byName = await db.Groups.AsNoTracking().ToDictionaryAsync(g => g.Name, g => g.Id, ct);
                        if (byLabel.TryGetValue("auth.group", out var groups))
                        {
                            var name = groups.ColumnOf("name");
                            foreach (var g in contents.Rows[groups].Values) byName[(string)g.Values[name]!] = (int)g.Pk;
                        }
                    }
                    foreach (var row in rows)
                    {
                        row.Links[l] = [.. row.Links[l]!.Select(k => k is not GroupKey key ? k
                            : byName.TryGetValue(key.Name, out var id) ? id
                            : lenient ? null
                            : throw new DumpImportException($"{Describe(mapper, row, link.Field)} names group \"{key.Name}\", which is neither in the dump nor in the database."))
                            .OfType<object>().Distinct()];
                    }
                }
                if (!lenient) continue;
                var inDump = byEntity.TryGetValue(link.Target, out var target) ? contents.Rows[target] : null;
                var outside = rows.SelectMany(r => r.Links[l]!).Where(k => inDump?.ContainsKey(k) != true).Distinct().ToList();
                if (outside.Count == 0) continue;
                var found = await writer.ExistingKeysAsync(link.Target, outside, ct);
                foreach (var row in rows) row.Links[l] = [.. row.Links[l]!.Where(k => inDump?.ContainsKey(k) == true || found.Contains(k))];
            }
        }
    }

    /// <summary>Every foreign key and many-to-many target must be in the dump or already in the database.</summary>
    async Task CheckReferencesAsync(DumpContents contents, DumpWriter writer, CancellationToken ct)
    {
        var missing = new Dictionary<IEntityType, Dictionary<object, string>>();
        void Need(IEntityType target, object key, Func<string> who)
        {
            if (byEntity.TryGetValue(target, out var t) && contents.Rows[t].ContainsKey(key)) return;
            if (!missing.TryGetValue(target, out var keys)) missing[target] = keys = [];
            if (!keys.ContainsKey(key)) keys[key] = who();
        }
        foreach (var mapper in mappers)
        {
            foreach (var row in contents.Rows[mapper].Values)
            {
                for (var i = 1; i < mapper.Columns.Length; i++)
                {
                    var c = mapper.Columns[i];
                    if (c.Target is not null && row.Values[i] is { } key) Need(c.Target, key, () => Describe(mapper, row, c.Field));
                }
                for (var l = 0; l < mapper.Links.Length; l++)
                {
                    foreach (var key in row.Links[l] ?? []) Need(mapper.Links[l].Target, key, () => Describe(mapper, row, mapper.Links[l].Field));
                }
            }
        }
        foreach (var (target, keys) in missing)
        {
            var found = await writer.ExistingKeysAsync(target, keys.Keys.ToList(), ct);
            foreach (var (key, who) in keys)
            {
                if (found.Contains(key)) continue;
                var label = target.ModelLabelOf() ?? target.GetTableName();
                var why = byEntity.ContainsKey(target) ? "" : contents.Skipped.ContainsKey(label ?? "")
                    ? $" ({label} records are skipped: this server does not import them yet)" : "";
                throw new DumpImportException($"{who} refers to {label} pk={Format(key)}, which is neither in the dump nor in the database{why}.");
            }
        }
    }

    static string Describe(ModelMapper mapper, DumpRow row, string field) =>
        $"{row.File}, record {row.Record} ({mapper.Label} pk={Format(row.Pk)}): field '{field}'";

    static string Format(object key) => Convert.ToString(key, CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// Parents before children (Kahn's algorithm over foreign keys between supported models, ties by label). A
    /// self-reference or a reference closing a cycle is a "back edge": when nullable it is written as NULL first and
    /// set once every row exists, so even PostgreSQL's immediate foreign keys are satisfied at every statement. A cycle
    /// is broken inside itself: a model that only depends on one (data.dataset on actions.session, whose subject is in
    /// the subjects' litter cycle) waits for it, so its own references are written with its rows. Written later, the
    /// dataset's session would be NULL in the first pass, and datasets alike but for their session (every session's
    /// alf/... files) would collide in the unique dataset identity index.
    /// </summary>
    List<ModelMapper> OrderParentsFirst(List<ModelMapper> all)
    {
        var ordered = new List<ModelMapper>();
        var placed = new HashSet<ModelMapper>();
        var pending = all.OrderBy(m => m.Label, StringComparer.Ordinal).ToList();
        // A multi-table child's key is also its reference to the parent row (experiments.chronicinsertion -> actions.chronicrecording).
        IEnumerable<(int Column, ModelMapper Parent)> Parents(ModelMapper m) =>
            Enumerable.Range(1, m.Columns.Length - 1)
                .Where(i => m.Columns[i].Target is { } t && byEntity.ContainsKey(t))
                .Select(i => (i, byEntity[m.Columns[i].Target!]))
                .Concat(m.Columns[0].Property.GetContainingForeignKeys().Select(fk => fk.PrincipalEntityType).OfType<IEntityType>()
                    .Where(t => t != m.Entity && byEntity.ContainsKey(t)).Select(t => (0, byEntity[t])));
        // Which models each one reaches through its references: two models are on a cycle when each reaches the other.
        var reaches = all.ToDictionary(m => m, m =>
        {
            var seen = new HashSet<ModelMapper>();
            var stack = new Stack<ModelMapper>([m]);
            while (stack.TryPop(out var x))
            {
                foreach (var (_, parent) in Parents(x)) if (seen.Add(parent)) stack.Push(parent);
            }
            return seen;
        });
        bool OnCycleWith(ModelMapper m, ModelMapper other) => reaches[m].Contains(other) && reaches[other].Contains(m);
        while (pending.Count > 0)
        {
            // Stuck: some cycles remain. Break one whose references leaving it are all written, at a model of it whose
            // missing parents are all nullable columns (written later as back edges), never at one with a required
            // reference to an unwritten table (actions.cull -> subject would then break PostgreSQL's immediate foreign
            // keys while the subjects' litter cycle is pending).
            var ready = pending.Where(m => Parents(m).All(p => p.Parent == m || placed.Contains(p.Parent) || OnCycleWith(m, p.Parent))).ToList();
            var next = pending.FirstOrDefault(m => Parents(m).All(p => p.Parent == m || placed.Contains(p.Parent)))
                ?? ready.FirstOrDefault(m => Parents(m).All(p => p.Parent == m || placed.Contains(p.Parent) || m.Columns[p.Column].IsNullable))
                ?? ready.FirstOrDefault()
                ?? pending[0];
            foreach (var (column, parent) in Parents(next))
            {
                if ((parent == next || !placed.Contains(parent)) && next.Columns[column].IsNullable) backEdges.Add((next, column));
            }
            ordered.Add(next);
            placed.Add(next);
            pending.Remove(next);
        }
        return ordered;
    }
}

/// <summary>The converted rows of a read, per model, before they are written.</summary>
public sealed class DumpContents
{
    internal DumpContents(IEnumerable<ModelMapper> mappers) => Rows = mappers.ToDictionary(m => m, _ => new Dictionary<object, DumpRow>());

    internal Dictionary<ModelMapper, Dictionary<object, DumpRow>> Rows { get; }
    internal Dictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);
    /// <summary>Time spent reading; writing adds its own (a migration in between is not counted).</summary>
    internal TimeSpan ReadTime { get; set; }

    /// <summary>Records read, supported or not.</summary>
    public int Records { get; internal set; }
}

/// <summary>What an import did: rows per model (in write order), skipped records per unsupported model, timing.</summary>
public sealed record DumpImportReport(
    IReadOnlyList<(string Model, int Rows)> Imported,
    IReadOnlyList<(string Model, int Records)> Skipped,
    IReadOnlyList<string> UnknownFields,
    int Records,
    TimeSpan Elapsed)
{
    public double RecordsPerSecond => Records / Math.Max(Elapsed.TotalSeconds, 1e-6);

    public void Print(TextWriter w)
    {
        var width = Imported.Select(i => i.Model.Length).Concat(Skipped.Select(s => s.Model.Length)).DefaultIfEmpty(10).Max() + 2;
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Imported {Imported.Sum(i => i.Rows)} rows:");
        foreach (var (model, rows) in Imported) text.AppendLine(inv, $"  {model.PadRight(width)}{rows,8}");
        if (Skipped.Count > 0)
        {
            text.AppendLine(inv, $"Skipped {Skipped.Sum(s => s.Records)} records of models this server does not import:");
            foreach (var (model, records) in Skipped) text.AppendLine(inv, $"  {model.PadRight(width)}{records,8}");
        }
        if (UnknownFields.Count > 0) text.AppendLine(inv, $"Ignored fields unknown to this schema: {string.Join(", ", UnknownFields)}");
        text.AppendLine(inv, $"{Records} records in {Elapsed.TotalSeconds:0.000} s ({RecordsPerSecond:0} records/s).");
        w.Write(text.ToString());
    }
}
