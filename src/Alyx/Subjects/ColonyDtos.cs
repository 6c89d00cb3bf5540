using System.Text.Json.Serialization;
using Alyx.Http;

namespace Alyx.Subjects;

// Wire records of the colony resources: the model's fields in model order (base columns id, name, json first),
// references as the slugs Alyx uses elsewhere (conventions §11.1), then derived values.

public sealed record SpeciesItem(Guid Id, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Nickname);

public sealed record StrainItem(Guid Id, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Description);

public sealed record SourceItem(Guid Id, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Description);

public sealed record LineItem(
    Guid Id,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string Description,
    string TargetPhenotype,
    string Nickname,
    List<string> Alleles,
    string? Strain,
    string? Source,
    string SourceIdentifier,
    string SourceUrl,
    string ExpressionDataUrl,
    string? Species,
    int SubjectAutonameIndex,
    int BreedingPairAutonameIndex,
    int LitterAutonameIndex,
    bool IsActive,
    string Lab,
    List<string> Sequences);

public sealed record AlleleItem(Guid Id, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Nickname, List<string> Sequences);

public sealed record SequenceItem(Guid Id, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string BasePairs, string Description);

public sealed record ZygosityItem(Guid Id, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Subject, string Allele, int Zygosity);

public sealed record GenotypeTestItem(Guid Id, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Subject, string Sequence, int TestResult);

public sealed record ZygosityRuleItem(
    Guid Id,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string? Line,
    string? Allele,
    string? Sequence0,
    int? Sequence0Result,
    string? Sequence1,
    int? Sequence1Result,
    int Zygosity);

public sealed record BreedingPairItem(
    Guid Id,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string? Line,
    DateOnly? StartDate,
    DateOnly? EndDate,
    string? Father,
    string? Mother1,
    string? Mother2,
    string Description);

public sealed record LitterItem(
    Guid Id,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string? Line,
    string? BreedingPair,
    string Description,
    DateOnly? BirthDate);

public sealed record SubjectRequestItem(
    Guid Id,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string? User,
    string? Line,
    int? Count,
    DateOnly? DateTime,
    DateOnly? DueDate,
    string Description,
    int Remaining)
{
    /// <summary><c>Open</c> while subjects remain to be assigned, else <c>Closed</c> (Alyx: SubjectRequest.status).</summary>
    public string Status => Remaining > 0 ? "Open" : "Closed";
}
