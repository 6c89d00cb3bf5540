using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Database;

/// <summary>Model annotations that the generic machinery (filters, schema, importer) reads.</summary>
public static class AlyxAnnotations
{
    /// <summary>The Django field or query name of a property or navigation, where it is not the snake_case of the CLR name.</summary>
    public const string DjangoName = "Alyx:DjangoName";

    /// <summary>Marks a property or a whole entity that no filter may name (password hashes, tokens).</summary>
    public const string Secret = "Alyx:Secret";

    /// <summary>Marks a string property that holds a JSON document (jsonb on PostgreSQL).</summary>
    public const string JsonColumn = "Alyx:Json";

    /// <summary>The Django model label of an entity, <c>app_label.model</c> (content types, dump records).</summary>
    public const string ModelLabel = "Alyx:ModelLabel";

    /// <summary>
    /// Marks a column the database keeps from other rows (by triggers): EF never writes it, and dumps neither load nor export it.
    /// </summary>
    public const string Derived = "Alyx:Derived";

    public static PropertyBuilder<string?> IsJson(this PropertyBuilder<string?> builder) =>
        builder.HasAnnotation(JsonColumn, true);

    public static PropertyBuilder<T> IsSecret<T>(this PropertyBuilder<T> builder) => builder.HasAnnotation(Secret, true);

    public static EntityTypeBuilder<T> HasModelLabel<T>(this EntityTypeBuilder<T> builder, string label) where T : class =>
        builder.HasAnnotation(ModelLabel, label);

    /// <summary>A column kept by the database (<see cref="Derived"/>): never written by EF.</summary>
    public static PropertyBuilder<T> IsDerived<T>(this PropertyBuilder<T> builder)
    {
        builder.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        builder.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        return builder.HasAnnotation(Derived, true);
    }

    public static bool IsDerived(this IReadOnlyAnnotatable item) => item.FindAnnotation(Derived)?.Value is true;

    public static bool IsSecret(this IReadOnlyAnnotatable item) => item.FindAnnotation(Secret)?.Value is true;

    public static bool IsJsonColumn(this IReadOnlyAnnotatable item) => item.FindAnnotation(JsonColumn)?.Value is true;

    public static string? ModelLabelOf(this IReadOnlyEntityType entity) => entity.FindAnnotation(ModelLabel)?.Value as string;

    /// <summary>The name a Django query uses for this member.</summary>
    public static string DjangoNameOf(this IReadOnlyPropertyBase member) =>
        member.FindAnnotation(DjangoName)?.Value as string ?? Naming.Snake(member.Name);
}
