using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Alyx.Database.Import;

/// <summary>One record of a dump: <c>{"model": ..., "pk": ..., "fields": {...}}</c> and where it was found.</summary>
internal readonly record struct DumpRecord(string File, int Index, string Model, JsonElement Pk, JsonElement Fields);

/// <summary>
/// Streams the records of a Django <c>dumpdata</c> file, gzip-compressed or not (decided by the first two bytes, so a
/// misnamed file still works), one array element at a time: the document is never held whole.
/// </summary>
internal static class DumpReader
{
    public static async IAsyncEnumerable<DumpRecord> ReadAsync(string path, ImportProgress? progress,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var name = Path.GetFileName(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException)
        {
            throw new DumpImportException($"{path}: cannot open ({x.Message})", x);
        }
        await using var _ = file;
        var magic = new byte[2];
        var n = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, ct);
        file.Position = 0;
        await using Stream content = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
        var records = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(content, cancellationToken: ct);
        await using var e = records.GetAsyncEnumerator(ct);
        var index = 0;
        while (true)
        {
            try
            {
                if (!await e.MoveNextAsync()) break;
            }
            catch (JsonException x)
            {
                var where = x.LineNumber is { } line ? $" at line {line + 1}" : "";
                throw new DumpImportException($"{name}: not a valid dumpdata file (invalid JSON{where}: {FirstSentence(x.Message)})", x);
            }
            catch (InvalidDataException x)
            {
                throw new DumpImportException($"{name}: corrupt gzip data ({x.Message})", x);
            }
            index++;
            progress?.Read(name, file.Position, file.Length);
            yield return Parse(name, index, e.Current);
        }
    }

    static DumpRecord Parse(string file, int index, JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object
            || !record.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String
            || !record.TryGetProperty("pk", out var pk)
            || !record.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            throw new DumpImportException(
                $"{file}, record {index}: not a dumpdata record (expected {{\"model\": ..., \"pk\": ..., \"fields\": {{...}}}}).");
        }
        return new DumpRecord(file, index, model.GetString()!, pk, fields);
    }

    static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

/// <summary>A one-line progress bar for terminals (the CLI enables it only when stdout is not redirected).</summary>
internal sealed class ImportProgress(TextWriter output)
{
    readonly Stopwatch sinceDraw = Stopwatch.StartNew();
    bool drawn;

    public void Read(string file, long position, long length) =>
        Draw($"reading {file}", length > 0 ? (double)position / length : 0, null);

    public void Wrote(string label, long done, long total) => Draw($"writing {label}", total > 0 ? (double)done / total : 1, $"{done}/{total}");

    void Draw(string what, double fraction, string? count)
    {
        if (drawn && sinceDraw.ElapsedMilliseconds < 100) return;
        sinceDraw.Restart();
        drawn = true;
        const int width = 30;
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0} {what} {count}");
        output.Write("\r" + line.PadRight(Math.Max(line.Length, 79))[..Math.Max(line.Length, 79)]);
        output.Flush();
    }

    /// <summary>Clears the bar so the summary starts on a clean line.</summary>
    public void Done()
    {
        if (!drawn) return;
        output.Write("\r" + new string(' ', 79) + "\r");
        output.Flush();
        drawn = false;
    }
}
