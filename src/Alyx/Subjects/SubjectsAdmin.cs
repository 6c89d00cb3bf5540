using Alyx.Actions;
using Alyx.Admin;
using Alyx.Misc;

namespace Alyx.Subjects;

/// <summary>The admin pages of a subject (Alyx: subjects/admin.py SubjectAdmin): its actions and genotype inline.</summary>
sealed class SubjectAdmin : IAdminDeclaration
{
    public Type Entity => typeof(Subject);

    public AdminOptions Options { get; } = new()
    {
        Columns =
        [
            new("nickname", "Nickname", "Nickname"), new("birth_date", "Birth date", "BirthDate"), new("sex", "Sex", "Sex"),
            new("responsible_user", "Responsible user", "ResponsibleUser.Username"), new("lab", "Lab", "Lab.Name"),
            new("line", "Line", "Line.Name"), new("alive", "Alive"),
        ],
        Search = ["Nickname", "ResponsibleUser.Username", "Description"],
        Filters =
        [
            AdminFilter.YesNo("alive", "alive"),
            new AdminFilter("sex", "sex", [("M", "Male"), ("F", "Female"), ("U", "Unknown")]),
            AdminFilter.Values<Lab>("lab", "lab", "Name"),
            AdminFilter.Values<LabMember>("responsible_user", "responsible user", "Username"),
        ],
        Sections =
        [
            new("Subject", "nickname", "lab", "responsible_user", "sex", "birth_date", "death_date", "age_weeks", "alive"),
            new("Colony", "species", "strain", "line", "litter", "source", "projects", "session_projects"),
            new("Notes", "description", "json"),
        ],
        Display = ["Nickname"],
        Inlines =
        [
            new("Weighings", typeof(Weighing), "SubjectId", [("Date time", "DateTime"), ("Weight (g)", "Weight"), ("User", "User.Username")],
                "-DateTime", "subject", "Subject.Nickname") { ListFilter = "subject", Limit = 20, Fields = ["date_time", "weight", "user"] },
            new("Water administrations", typeof(WaterAdministration), "SubjectId",
                [("Date time", "DateTime"), ("Water (mL)", "WaterAdministered"), ("Type", "WaterType.Name"), ("Ad lib", "Adlib"), ("User", "User.Username")],
                "-DateTime", "subject", "Subject.Nickname")
            {
                ListFilter = "subject", Limit = 20, Fields = ["date_time", "water_administered", "water_type", "adlib", "user"],
            },
            new("Water restrictions", typeof(WaterRestriction), "SubjectId",
                [("Start", "StartTime"), ("End", "EndTime"), ("Reference weight (g)", "ReferenceWeight"), ("Water type", "WaterType.Name")],
                "-StartTime", "subject", "Subject.Nickname") { ListFilter = "subject" },
            new("Surgeries", typeof(Surgery), "SubjectId", [("Start", "StartTime"), ("Name", "Name"), ("Outcome", "OutcomeType"), ("Narrative", "Narrative")],
                "-StartTime", "subject", "Subject.Nickname") { ListFilter = "subject" },
            new("Sessions", typeof(Session), "SubjectId", [("Start", "StartTime"), ("Number", "Number"), ("Task protocol", "TaskProtocol"), ("Lab", "Lab.Name")],
                "-StartTime", "subject", "Subject.Nickname") { ListFilter = "subject", Limit = 20 },
            new("Genotype", typeof(Zygosity), "SubjectId", [("Allele", "Allele.Nickname"), ("Zygosity", "Value")], "Allele.Nickname"),
        ],
    };
}

/// <summary>A litter (Alyx: LitterAdmin): its pups inline; the parents and their genotypes are <see cref="ParentsSection"/>.</summary>
sealed class LitterAdmin : IAdminDeclaration
{
    public Type Entity => typeof(Litter);

    public AdminOptions Options { get; } = new()
    {
        Search = ["Name", "Line.Name", "Description"],
        Display = ["Name"],
        Inlines =
        [
            new("Pups", typeof(Subject), "LitterId",
                [("Nickname", "Nickname"), ("Sex", "Sex"), ("Birth date", "BirthDate"), ("Responsible user", "ResponsibleUser.Username")],
                "Nickname", "litter", "Name") { ListFilter = "litter", Fields = ["nickname", "sex", "birth_date", "lab", "responsible_user"] },
        ],
    };
}

/// <summary>A breeding pair (Alyx: BreedingPairAdmin): its litters and pups inline; parents and genotypes in <see cref="ParentsSection"/>.</summary>
sealed class BreedingPairAdmin : IAdminDeclaration
{
    public Type Entity => typeof(BreedingPair);

    public AdminOptions Options { get; } = new()
    {
        Search = ["Name", "Line.Name", "Father.Nickname", "Mother1.Nickname", "Mother2.Nickname"],
        Display = ["Name"],
        Inlines =
        [
            new("Litters", typeof(Litter), "BreedingPairId", [("Name", "Name"), ("Birth date", "BirthDate"), ("Line", "Line.Name")], "-BirthDate",
                "breeding_pair") { Fields = ["name", "birth_date", "line"] },
            new("Pups", typeof(Subject), "Litter.BreedingPairId",
                [("Nickname", "Nickname"), ("Litter", "Litter.Name"), ("Sex", "Sex"), ("Birth date", "BirthDate")], "Nickname"),
        ],
    };
}
