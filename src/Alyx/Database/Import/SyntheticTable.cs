namespace Alyx.Database.Import;

/// <summary>
/// A table the synthetic lab fills. Its records name their dump fields once, as a dump's <c>fields</c> object would
/// (many-to-many fields included, as arrays of keys); the importer's mapper gives the column order and the defaults of
/// the fields left out, so a row is what the importer makes of the same record, without a JSON round trip. Values are
/// the CLR values the mapper would produce (checked: a <c>long</c> column takes a <c>long</c>). Rows are buffered and
/// appended through a <see cref="BulkInserter"/> a batch at a time, join rows after their rows, then the tables of
/// <see cref="Then"/> (children, whose rows need these).
/// </summary>
internal sealed class SyntheticTable
{
    readonly ModelMapper mapper;
    readonly BulkInserter inserter;
    readonly int batch;
    readonly string[] fields;

    /// <summary>Per field: its column (≥ 0) or the complement of its link (&lt; 0).</summary>
    readonly int[] targets;

    /// <summary>Per field: the CLR type of its values (a link's: of its keys).</summary>
    readonly Type[] types;

    readonly List<object?[]> rows = [];
    readonly List<object?[]>[] links;

    /// <summary>A table flushed every <paramref name="batch"/> rows (<see cref="int.MaxValue"/>: only with its parent).</summary>
    public SyntheticTable(ModelMapper mapper, BulkInserter inserter, int batch, params string[] fields)
    {
        this.mapper = mapper;
        this.inserter = inserter;
        this.batch = batch;
        this.fields = fields;
        targets = new int[fields.Length];
        types = new Type[fields.Length];
        for (var f = 0; f < fields.Length; f++)
        {
            var column = mapper.ColumnOf(fields[f]);
            var link = mapper.LinkOf(fields[f]);
            if (column < 0 && link < 0) throw new InvalidOperationException($"{mapper.Label} has no field '{fields[f]}'.");
            var property = column >= 0 ? mapper.Columns[column].Property : mapper.Links[link].Other.Property;
            targets[f] = column >= 0 ? column : ~link;
            types[f] = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        }
        for (var i = 1; i < mapper.Columns.Length; i++)
        {
            if (mapper.IsRequired(i) && !targets.Contains(i)) throw new InvalidOperationException($"{mapper.Label}: required field '{mapper.Columns[i].Field}' is missing.");
        }
        links = [.. mapper.Links.Select(_ => new List<object?[]>())];
    }

    public string Label => mapper.Label;

    /// <summary>Rows added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Tables flushed after this one's every batch.</summary>
    public List<SyntheticTable> Then { get; } = [];

    /// <summary>A record: its key and one value per field, in the order the fields were named.</summary>
    public ValueTask AddAsync(object pk, object?[] values, CancellationToken ct)
    {
        if (values.Length != fields.Length) throw new ArgumentException($"{mapper.Label}: {values.Length} values for {fields.Length} fields.", nameof(values));
        var row = mapper.NewValues(pk);
        for (var f = 0; f < fields.Length; f++)
        {
            if (targets[f] >= 0) row[targets[f]] = Checked(f, values[f]);
            else
            {
                var keys = values[f] as System.Array ?? throw new ArgumentException($"{mapper.Label}.{fields[f]} takes an array of keys.", nameof(values));
                var joined = links[~targets[f]];
                foreach (var key in keys) joined.Add([pk, Checked(f, key ?? throw new ArgumentException($"{mapper.Label}.{fields[f]} lists a null key.", nameof(values)))]);
            }
        }
        rows.Add(row);
        Count++;
        return rows.Count >= batch ? new ValueTask(FlushAsync(ct)) : ValueTask.CompletedTask;
    }

    object? Checked(int f, object? value)
    {
        if (value is null)
        {
            return targets[f] < 0 || mapper.Columns[targets[f]].IsNullable ? null
                : throw new ArgumentException($"{mapper.Label}.{fields[f]} may not be null.");
        }
        return value.GetType() == types[f] ? value
            : throw new ArgumentException($"{mapper.Label}.{fields[f]} takes {types[f].Name} values, not {value.GetType().Name}.");
    }

    /// <summary>Writes the buffered rows, their join rows, then the tables of <see cref="Then"/>.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (rows.Count > 0) await inserter.InsertAsync(mapper.Table, mapper.Columns, rows, ct);
        rows.Clear();
        for (var l = 0; l < links.Length; l++)
        {
            if (links[l].Count == 0) continue;
            var link = mapper.Links[l];
            await inserter.InsertAsync(link.Table, [link.Own, link.Other], links[l], ct);
            links[l].Clear();
        }
        foreach (var child in Then) await child.FlushAsync(ct);
    }
}
