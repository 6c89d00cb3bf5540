using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Database;

/// <summary>A row with a UUID primary key (every Alyx model, the lab member included).</summary>
public interface IEntity
{
    Guid Id { get; }
}

/// <summary>Alyx's BaseModel trio: a random UUID key, a name (empty unless a model says otherwise) and a JSON column.</summary>
public abstract class AlyxModel : IEntity
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string Name { get; set; } = "";

    public string? Json { get; set; }
}

public static class AlyxModelConfiguration
{
    /// <summary>Table name and the base columns of <see cref="AlyxModel"/>.</summary>
    public static EntityTypeBuilder<T> IsAlyxModel<T>(this EntityTypeBuilder<T> b, string table, string label, int nameLength = 255)
        where T : AlyxModel
    {
        b.ToTable(table).HasModelLabel(label);
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Name).HasMaxLength(nameLength).IsRequired();
        b.Property(e => e.Json).IsJson();
        return b;
    }
}
