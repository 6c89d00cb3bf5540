using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

/// <summary>
/// The rows of an EF Core query read straight from the data reader of the command EF builds for it (the same SQL,
/// parameters and filters), without EF's materializer: text is handed over as UTF-8 in a buffer per column (ready for
/// Arrow's builders), UUIDs as <see cref="System.Guid"/> (parsed from SQLite's text). For a million datasets this halved
/// the time of reading them. (Microsoft.Data.Sqlite's <c>GetBytes</c> on text was far slower than <c>GetString</c>.)
/// </summary>
internal sealed class Utf8RowReader : IAsyncDisposable
{
    readonly DbCommand command;
    readonly DbDataReader reader;
    readonly bool sqlite;
    readonly byte[][] buffers;

    Utf8RowReader(DbCommand command, DbDataReader reader)
    {
        this.command = command;
        this.reader = reader;
        sqlite = reader is SqliteDataReader;
        buffers = [.. Enumerable.Range(0, reader.FieldCount).Select(_ => new byte[64])];
    }

    /// <summary>Runs <paramref name="query"/> on its context's open connection (and transaction, if any).</summary>
    public static async Task<Utf8RowReader> OpenAsync<T>(IQueryable<T> query, CancellationToken ct)
    {
        var command = query.CreateDbCommand();
        command.CommandTimeout = 0;
        return new Utf8RowReader(command, await command.ExecuteReaderAsync(ct));
    }

    /// <summary>The column of the projection's member <paramref name="name"/>.</summary>
    public int Ordinal(string name) => reader.GetOrdinal(name);

    public Task<bool> ReadAsync(CancellationToken ct) => reader.ReadAsync(ct);

    public bool IsNull(int column) => reader.IsDBNull(column);

    public long Int64(int column) => reader.GetInt64(column);

    public int Int32(int column) => reader.GetInt32(column);

    public bool Boolean(int column) => reader.GetBoolean(column);

    public Guid Guid(int column) => sqlite ? System.Guid.Parse(reader.GetString(column)) : reader.GetGuid(column);

    /// <summary>The column's text as UTF-8 (empty for NULL), valid until the column is read again.</summary>
    public ReadOnlySpan<byte> Text(int column)
    {
        if (reader.IsDBNull(column)) return [];
        var text = reader.GetString(column);
        var utf8 = Buffer(column, Encoding.UTF8.GetMaxByteCount(text.Length));
        return utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8));
    }

    byte[] Buffer(int column, int length)
    {
        if (buffers[column].Length < length) buffers[column] = new byte[Math.Max(length, buffers[column].Length * 2)];
        return buffers[column];
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
    }
}
