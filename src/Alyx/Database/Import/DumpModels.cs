using System.Text.Json;
using Alyx.Http;

namespace Alyx.Database.Import;

/// <summary>
/// Implemented once per Alyx app (<c>Misc/MiscImport.cs</c>, <c>Data/DataImport.cs</c>, ...): declares which Django
/// model labels the dump importer loads. Found by reflection, as entity configurations are.
/// </summary>
public interface IDumpModels
{
    void Register(DumpModelRegistry models);
}

/// <summary>
/// Declaration of one importable model. By default every dump field is mapped from EF Core metadata: a scalar field to
/// the property whose Django name matches (snake_case or <see cref="AlyxAnnotations.DjangoName"/>), a foreign key field
/// (<c>lab</c>) to the key property behind the navigation (<c>LabId</c>), a many-to-many field to its join table.
/// The methods below cover what metadata cannot say.
/// </summary>
public sealed class DumpModel(string label)
{
    public string Label { get; } = label;

    internal HashSet<string> IgnoredFields { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, Func<AlyxClock, object?>> Defaults { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, Func<JsonElement, object?>> Converters { get; } = new(StringComparer.Ordinal);

    /// <summary>Dump fields that are read and dropped (e.g. a user's <c>groups</c>, whose tables this server has not).</summary>
    public DumpModel Ignore(params string[] fields)
    {
        foreach (var f in fields) IgnoredFields.Add(f);
        return this;
    }

    internal HashSet<string> LenientLinks { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Many-to-many fields whose targets may be missing from both the dump and the database (a user's <c>groups</c>: Alyx's
    /// dumps leave the auth tables out): such links are dropped, the others written.
    /// </summary>
    public DumpModel DropMissingLinks(params string[] fields)
    {
        foreach (var f in fields) LenientLinks.Add(f);
        return this;
    }

    /// <summary>The value of a field missing from a record, where the entity's initial value is not Django's default.</summary>
    public DumpModel Default(string field, Func<AlyxClock, object?> value)
    {
        Defaults[field] = value;
        return this;
    }

    /// <summary>The row <c>alyx migrate</c> creates under a unique value (the <c>unknown</c> dataset type), if any.</summary>
    internal (string Field, string Value)? Sentinel { get; private set; }

    /// <summary>
    /// A row the database creates itself when migrated, as Alyx's field defaults do (<c>name = 'unknown'</c>): a dump row with
    /// the same unique value and another key takes its place, and what referred to the created row refers to the dump's.
    /// </summary>
    public DumpModel CreatedOnMigrate(string field, string value)
    {
        Sentinel = (field, value);
        return this;
    }

    /// <summary>A hand-written conversion of one field's JSON value to the property's CLR value.</summary>
    public DumpModel Convert(string field, Func<JsonElement, object?> convert)
    {
        Converters[field] = convert;
        return this;
    }
}

/// <summary>All importable models, by Django label.</summary>
public sealed class DumpModelRegistry
{
    readonly Dictionary<string, DumpModel> models = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="label"/> (e.g. <c>subjects.subject</c>); the entity is the one carrying that model label.</summary>
    public DumpModel Add(string label)
    {
        if (models.ContainsKey(label)) throw new InvalidOperationException($"Dump model {label} is registered twice.");
        var model = new DumpModel(label);
        models.Add(label, model);
        return model;
    }

    public IReadOnlyCollection<DumpModel> Models => models.Values;

    /// <summary>The registry made of every <see cref="IDumpModels"/> of the Alyx assembly.</summary>
    public static DumpModelRegistry Default { get; } = Discover();

    static DumpModelRegistry Discover()
    {
        var registry = new DumpModelRegistry();
        var types = typeof(DumpModelRegistry).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IDumpModels).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types) ((IDumpModels)Activator.CreateInstance(type, nonPublic: true)!).Register(registry);
        return registry;
    }
}

/// <summary>An import that cannot go on; nothing has been written when it is thrown.</summary>
public sealed class DumpImportException(string message, Exception? inner = null) : Exception(message, inner);
