using System.Net;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Filtering;

/// <summary>
/// <c>django=</c> values that Alyx's parser turns into Python floats compare with text columns as Python writes the float
/// (issue 13 item 7): <c>protocol_number,3</c> is <c>protocol_number = '3.0'</c>, which no one-character protocol number equals.
/// </summary>
public sealed class DjangoFloatTextTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<int> CountAsync(HttpClient client, string path) =>
        (await (await client.GetAsync(path, Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();

    [Fact]
    public async Task ListSubjects_DjangoBareNumberOnTextColumn_ComparesAsPythonFloatText()
    {
        var client = await app.ClientForAsync();
        Assert.True(await app.WithDbAsync(db => db.Subjects.AnyAsync(s => s.ProtocolNumber == "3", Ct)));
        Assert.Equal(0, await CountAsync(client, "/subjects?django=protocol_number,3"));

        // A text column holding Python's spelling of the float matches; the number's own token does not.
        var nickname = AlyxApp.Unique("5.0");
        var subject = await app.WithDbAsync(async db =>
        {
            var s = new Alyx.Subjects.Subject { Nickname = nickname, LabId = Alyx.Database.DatabaseSetup.DefaultLabId, Description = "5.0" };
            db.Add(s);
            await db.SaveChangesAsync(Ct);
            return s;
        });
        Assert.Equal(1, await CountAsync(client, $"/subjects?nickname={nickname}&django=description,5"));
        Assert.Equal(1, await CountAsync(client, $"/subjects?nickname={nickname}&django=description,5.00"));
        Assert.Equal(0, await CountAsync(client, $"/subjects?nickname={nickname}&django=description,5.1"));
        Assert.Equal(subject.Nickname, nickname);
    }
}
