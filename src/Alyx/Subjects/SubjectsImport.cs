using Alyx.Database;
using Alyx.Database.Import;

namespace Alyx.Subjects;

/// <summary>Subjects-app models in dumps (conventions §18.3): raw rows, no auto-naming, history or genotype inference.</summary>
sealed class SubjectsImport : IDumpModels
{
    public void Register(DumpModelRegistry models)
    {
        models.Add("subjects.species");
        models.Add("subjects.strain");
        models.Add("subjects.source");
        models.Add("subjects.allele");
        models.Add("subjects.sequence");
        models.Add("subjects.project");
        models.Add("subjects.line").Default("lab", _ => DatabaseSetup.DefaultLabId);
        models.Add("subjects.breedingpair");
        models.Add("subjects.litter");
        models.Add("subjects.subjectrequest");
        models.Add("subjects.subject").Default("lab", _ => DatabaseSetup.DefaultLabId);
        models.Add("subjects.zygosity");
        models.Add("subjects.genotypetest");
        models.Add("subjects.zygosityrule");
    }
}
