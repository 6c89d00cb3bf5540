using System.Globalization;
using System.Text.Json;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Alyx.Database.Import;

/// <summary>One column of a table the importer writes: its property, SQL name and provider type mapping.</summary>
internal sealed class DumpColumn(IProperty property, string name)
{
    public IProperty Property { get; } = property;
    public string Name { get; } = name;
    public RelationalTypeMapping Mapping { get; } = property.GetRelationalTypeMapping();
    public bool IsNullable { get; } = property.IsNullable;

    /// <summary>The principal model when the column is a foreign key (null otherwise).</summary>
    public IEntityType? Target { get; init; }

    /// <summary>The dump field feeding this column (<c>lab</c> for <c>lab_id</c>).</summary>
    public string Field { get; init; } = "";
}

/// <summary>A many-to-many field stored in an automatic join table.</summary>
internal sealed class DumpLink(string field, string table, DumpColumn own, DumpColumn other, IEntityType target)
{
    public string Field { get; } = field;
    public string Table { get; } = table;
    public DumpColumn Own { get; } = own;
    public DumpColumn Other { get; } = other;
    public IEntityType Target { get; } = target;
}

/// <summary>A content type named by <c>(app_label, model)</c> in a dump; its id is this database's.</summary>
internal sealed record ContentTypeKey(string AppLabel, string Model);

/// <summary>An auth group named by natural key, <c>["Lab members"]</c> (dumpdata --natural-foreign); its id is resolved when writing.</summary>
internal sealed record GroupKey(string Name);

/// <summary>A dump record turned into column values, ready to write.</summary>
internal sealed class DumpRow(string file, int record, object pk, object?[] values, object[]?[] links)
{
    /// <summary>File and position of the record in it (1-based), for messages.</summary>
    public string File { get; } = file;
    public int Record { get; } = record;
    public object Pk { get; } = pk;
    public object?[] Values { get; } = values;

    /// <summary>Targets per many-to-many field; null where the record has no such key (the links are then left as they are).</summary>
    public object[]?[] Links { get; } = links;
}

/// <summary>
/// The generic mapper: a <see cref="DumpModel"/> bound to the EF Core entity carrying its label. It turns a record's
/// <c>fields</c> object into column values with no business logic: missing keys take defaults, unknown keys are counted.
/// </summary>
internal sealed class ModelMapper
{
    readonly DumpModel model;
    readonly Dictionary<string, int> columnByField = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> linkByField = new(StringComparer.Ordinal);
    readonly object?[] defaults;
    readonly bool[] required;

    public string Label => model.Label;

    /// <summary>The declaration this mapper reads.</summary>
    public DumpModel Model => model;
    public IEntityType Entity { get; }
    public string Table { get; }
    public DumpColumn[] Columns { get; }
    public DumpLink[] Links { get; }

    /// <summary>Fields found in records that this schema has not, with how many records had them.</summary>
    public Dictionary<string, int> UnknownFields { get; } = new(StringComparer.Ordinal);

    public ModelMapper(DumpModel model, IEntityType entity, AlyxClock clock)
    {
        this.model = model;
        Entity = entity;
        Table = entity.GetTableName() ?? throw new InvalidOperationException($"{model.Label} has no table.");
        var store = StoreObjectIdentifier.Table(Table, entity.GetSchema());
        var key = entity.FindPrimaryKey() ?? throw new InvalidOperationException($"{model.Label} has no primary key.");
        if (key.Properties.Count != 1) throw new InvalidOperationException($"{model.Label}: composite primary keys are not importable.");

        var columns = new List<DumpColumn>();
        // Columns the database computes (SQLite's dataset identity key) or keeps by triggers are neither written nor exported.
        foreach (var p in entity.GetProperties().Where(p => p.GetComputedColumnSql() is null && !p.IsDerived()).OrderBy(p => p.IsPrimaryKey() ? 0 : 1))
        {
            var fk = p.GetContainingForeignKeys().FirstOrDefault(f => f.Properties.Count == 1 && !f.IsOwnership);
            var field = p.IsPrimaryKey() ? "pk"
                : fk is not null ? fk.DependentToPrincipal?.DjangoNameOf() ?? StripId(p.DjangoNameOf())
                : p.DjangoNameOf();
            var column = new DumpColumn(p, p.GetColumnName(store) ?? p.GetColumnName())
            {
                Target = p.IsPrimaryKey() ? null : fk?.PrincipalEntityType,
                Field = field,
            };
            if (!p.IsPrimaryKey()) columnByField[field] = columns.Count;
            columns.Add(column);
        }
        Columns = [.. columns];

        var links = new List<DumpLink>();
        foreach (var skip in entity.GetSkipNavigations())
        {
            var join = skip.JoinEntityType;
            var joinTable = join.GetTableName()!;
            var joinStore = StoreObjectIdentifier.Table(joinTable, join.GetSchema());
            var own = skip.ForeignKey.Properties.Single();
            var other = skip.Inverse.ForeignKey.Properties.Single();
            linkByField[skip.DjangoNameOf()] = links.Count;
            links.Add(new DumpLink(skip.DjangoNameOf(), joinTable,
                new DumpColumn(own, own.GetColumnName(joinStore)!), new DumpColumn(other, other.GetColumnName(joinStore)!),
                skip.TargetEntityType));
        }
        Links = [.. links];

        foreach (var field in model.Defaults.Keys.Concat(model.Converters.Keys))
        {
            if (!columnByField.ContainsKey(field))
                throw new InvalidOperationException($"Dump model {model.Label} declares field '{field}', which {entity.ClrType.Name} has not.");
        }

        // Defaults for missing keys: the declared ones, else the entity's initial values (new LabMember().IsActive is true).
        var template = entity.ClrType.GetConstructor(Type.EmptyTypes) is not null && !entity.HasSharedClrType
            ? Activator.CreateInstance(entity.ClrType) : null;
        defaults = new object?[Columns.Length];
        required = new bool[Columns.Length];
        for (var i = 1; i < Columns.Length; i++)
        {
            var c = Columns[i];
            if (model.Defaults.TryGetValue(c.Field, out var declared)) defaults[i] = declared(clock);
            else if (c.Property.FindAnnotation(RelationalAnnotationNames.DefaultValue)?.Value is { } dbDefault) defaults[i] = dbDefault;
            else if (template is not null && c.Property.PropertyInfo is { } info) defaults[i] = info.GetValue(template);
            else if (!c.IsNullable) defaults[i] = c.Property.ClrType.IsValueType ? Activator.CreateInstance(c.Property.ClrType) : null;
            // A non-null foreign key without a declared default must be in the record: its CLR default points nowhere.
            required[i] = c.Target is not null && !c.IsNullable && !model.Defaults.ContainsKey(c.Field);
            if (!c.IsNullable && defaults[i] is null && !required[i] && c.Property.ClrType == typeof(string)) defaults[i] = "";
        }
    }

    static string StripId(string name) => name.EndsWith("_id", StringComparison.Ordinal) ? name[..^3] : name;

    /// <summary>The column fed by dump field <paramref name="field"/>, or -1.</summary>
    public int ColumnOf(string field) => columnByField.TryGetValue(field, out var i) ? i : -1;

    /// <summary>The many-to-many link of dump field <paramref name="field"/>, or -1.</summary>
    public int LinkOf(string field) => linkByField.TryGetValue(field, out var l) ? l : -1;

    /// <summary>Whether a record must give column <paramref name="column"/> (a non-null foreign key without a default).</summary>
    public bool IsRequired(int column) => required[column];

    /// <summary>The values of a record that gives no field: the defaults <see cref="Map"/> starts from, with the key set.</summary>
    public object?[] NewValues(object pk)
    {
        var values = (object?[])defaults.Clone();
        values[0] = pk;
        return values;
    }

    /// <summary>Parses a record's primary key (UUID string, integer or text, as the key property says).</summary>
    public object ParsePk(JsonElement pk) =>
        Convert(Columns[0], pk, "pk") ?? throw new FormatException("the primary key is null.");

    public DumpRow Map(string file, int record, object pk, JsonElement fields)
    {
        var values = NewValues(pk);
        var links = new object[]?[Links.Length];
        var seen = new bool[Columns.Length];
        foreach (var f in fields.EnumerateObject())
        {
            if (model.IgnoredFields.Contains(f.Name)) continue;
            if (columnByField.TryGetValue(f.Name, out var i))
            {
                var column = Columns[i];
                values[i] = model.Converters.TryGetValue(f.Name, out var convert) ? convert(f.Value) : Convert(column, f.Value, f.Name);
                if (values[i] is null && !column.IsNullable) throw new FormatException($"field '{f.Name}' may not be null.");
                seen[i] = true;
            }
            else if (linkByField.TryGetValue(f.Name, out var l))
            {
                if (f.Value.ValueKind != JsonValueKind.Array) throw new FormatException($"field '{f.Name}' must be a list of primary keys.");
                var link = Links[l];
                links[l] = [.. f.Value.EnumerateArray().Select(v => Convert(link.Other, v, f.Name)
                    ?? throw new FormatException($"field '{f.Name}' lists a null key.")).Distinct()];
            }
            else
            {
                UnknownFields[f.Name] = UnknownFields.GetValueOrDefault(f.Name) + 1;
            }
        }
        for (var i = 1; i < Columns.Length; i++)
        {
            if (required[i] && !seen[i]) throw new FormatException($"required field '{Columns[i].Field}' is missing.");
        }
        return new DumpRow(file, record, pk, values, links);
    }

    /// <summary>Dump value to CLR value (conventions §18.2); a JSON column keeps the JSON text itself.</summary>
    static object? Convert(DumpColumn column, JsonElement value, string field)
    {
        var p = column.Property;
        // A content type given by natural key, ["app_label", "model"]: resolved against this database when writing.
        if (column.Target?.ClrType == typeof(Misc.ContentType) && value.ValueKind == JsonValueKind.Array)
        {
            var parts = value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList();
            if (parts is [{ } app, { } name]) return new ContentTypeKey(app, name);
            throw new FormatException($"field '{field}': {Show(value)} is not a content type natural key [\"app_label\", \"model\"].");
        }
        if (p.GetContainingForeignKeys().Any(f => f.PrincipalEntityType.ClrType == typeof(Misc.Group)) && value.ValueKind == JsonValueKind.Array)
        {
            if (value.GetArrayLength() == 1 && value[0].ValueKind == JsonValueKind.String) return new GroupKey(value[0].GetString()!);
            throw new FormatException($"field '{field}': {Show(value)} is not a group natural key [\"name\"].");
        }
        if (p.IsJsonColumn()) return value.ValueKind == JsonValueKind.Null ? null : value.GetRawText();
        if (value.ValueKind == JsonValueKind.Null) return null;
        var type = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
        object? result = null;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : null;
        if (type == typeof(string)) result = text ?? (value.ValueKind is JsonValueKind.Number ? value.GetRawText() : null);
        else if (type == typeof(Guid)) result = Guid.TryParse(text, out var g) ? g : null;
        else if (type == typeof(bool)) result = value.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null };
        else if (type == typeof(int)) result = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : ParseInt(text);
        else if (type == typeof(long)) result = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : ParseLong(text);
        else if (type == typeof(short)) result = value.ValueKind == JsonValueKind.Number && value.TryGetInt16(out var n) ? n : null;
        else if (type == typeof(double)) result = value.ValueKind == JsonValueKind.Number ? value.GetDouble() : ParseDouble(text);
        else if (type == typeof(float)) result = value.ValueKind == JsonValueKind.Number ? value.GetSingle() : null;
        else if (type == typeof(decimal)) result = value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : null;
        else if (type == typeof(DateTime)) result = AlyxFormats.TryParseDateTime(text, out var dt) ? dt : null;
        else if (type == typeof(DateOnly)) result = AlyxFormats.TryParseDate(text, out var d) ? d : null;
        else if (type == typeof(TimeOnly)) result = TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out var t) ? t : null;
        else if (type.IsEnum)
        {
            result = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var e) ? Enum.ToObject(type, e)
                : Enum.TryParse(type, text, ignoreCase: true, out var named) ? named : null;
        }
        else throw new FormatException($"field '{field}' has type {type.Name}, which needs a converter (DumpModel.Convert).");
        return result ?? throw new FormatException($"field '{field}': {Show(value)} is not a valid {Describe(type)}.");
    }

    static int? ParseInt(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    static long? ParseLong(string? text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    static double? ParseDouble(string? text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    static string Show(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length > 60 ? raw[..57] + "..." : raw;
    }

    static string Describe(Type type) => type switch
    {
        _ when type == typeof(Guid) => "UUID",
        _ when type == typeof(DateTime) => "datetime",
        _ when type == typeof(DateOnly) => "date (YYYY-MM-DD)",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "integer",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "number",
        _ => type.Name,
    };
}
