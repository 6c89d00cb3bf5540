using System.Buffers.Text;
using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Alyx.Data;

/// <summary>
/// The rows of an EF Core query read straight from the command EF builds for it (the same SQL, parameters and filters),
/// without EF's materializer: text is handed over as UTF-8 (ready for Arrow's builders), UUIDs as <see cref="System.Guid"/>.
/// On SQLite the command's statement is stepped through SQLite's own API, so a text column is the engine's UTF-8 bytes
/// and no string is made per value (Microsoft.Data.Sqlite's reader decodes each to UTF-16 and checks its handle per call);
/// on PostgreSQL Npgsql's reader is used, with a buffer per column.
/// </summary>
internal sealed class Utf8RowReader : IAsyncDisposable
{
    readonly DbCommand command;
    readonly DbDataReader? reader;
    readonly sqlite3_stmt? statement;
    readonly byte[][] buffers;
    readonly string[] names;

    Utf8RowReader(DbCommand command, DbDataReader reader)
    {
        this.command = command;
        this.reader = reader;
        buffers = [.. Enumerable.Range(0, reader.FieldCount).Select(_ => new byte[64])];
        names = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];
    }

    Utf8RowReader(DbCommand command, sqlite3_stmt statement)
    {
        this.command = command;
        this.statement = statement;
        var count = raw.sqlite3_column_count(statement);
        buffers = [];
        names = [.. Enumerable.Range(0, count).Select(i => raw.sqlite3_column_name(statement, i).utf8_to_string())];
    }

    /// <summary>Runs <paramref name="query"/> on its context's open connection (and transaction, if any).</summary>
    public static Task<Utf8RowReader> OpenAsync<T>(IQueryable<T> query, CancellationToken ct) => OpenAsync(query.CreateDbCommand(), ct);

    /// <summary>Runs <paramref name="command"/> (on its connection, which must be open), which the reader disposes of.</summary>
    public static async Task<Utf8RowReader> OpenAsync(DbCommand command, CancellationToken ct)
    {
        if (command.Connection is SqliteConnection { Handle: { } handle }) return new Utf8RowReader(command, Prepare(handle, command));
        command.CommandTimeout = 0;
        return new Utf8RowReader(command, await command.ExecuteReaderAsync(ct));
    }

    static sqlite3_stmt Prepare(sqlite3 handle, DbCommand command)
    {
        Check(handle, raw.sqlite3_prepare_v2(handle, command.CommandText, out var statement, out var tail));
        if (!string.IsNullOrWhiteSpace(tail)) throw new InvalidOperationException("A row reader runs one statement.");
        foreach (DbParameter parameter in command.Parameters)
        {
            var index = raw.sqlite3_bind_parameter_index(statement, parameter.ParameterName);
            if (index == 0) continue;
            Check(handle, parameter.Value switch
            {
                null or DBNull => raw.sqlite3_bind_null(statement, index),
                string text => raw.sqlite3_bind_text(statement, index, text),
                bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
                int or long or short or byte => raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(parameter.Value, System.Globalization.CultureInfo.InvariantCulture)),
                double number => raw.sqlite3_bind_double(statement, index, number),
                byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
                var other => throw new NotSupportedException($"A row reader cannot bind a {other.GetType().Name}."),
            });
        }
        return statement;
    }

    static void Check(sqlite3 handle, int code)
    {
        if (code != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), code);
    }

    /// <summary>The column of the projection's member <paramref name="name"/>.</summary>
    public int Ordinal(string name) => Array.IndexOf(names, name) is var i and >= 0 ? i : throw new ArgumentException($"No column {name}.", nameof(name));

    public Task<bool> ReadAsync(CancellationToken ct)
    {
        if (statement is null) return reader!.ReadAsync(ct);
        ct.ThrowIfCancellationRequested();
        var code = raw.sqlite3_step(statement);
        if (code == raw.SQLITE_ROW) return Task.FromResult(true);
        if (code == raw.SQLITE_DONE) return Task.FromResult(false);
        throw new SqliteException(raw.sqlite3_errmsg(raw.sqlite3_db_handle(statement)).utf8_to_string(), code);
    }

    public bool IsNull(int column) => statement is null ? reader!.IsDBNull(column) : raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL;

    public long Int64(int column) => statement is null ? reader!.GetInt64(column) : raw.sqlite3_column_int64(statement, column);

    public int Int32(int column) => statement is null ? reader!.GetInt32(column) : raw.sqlite3_column_int(statement, column);

    public bool Boolean(int column) => statement is null ? reader!.GetBoolean(column) : raw.sqlite3_column_int64(statement, column) != 0;

    public Guid Guid(int column)
    {
        if (statement is null) return reader!.GetGuid(column);
        return Utf8Parser.TryParse(raw.sqlite3_column_blob(statement, column), out Guid id, out _, 'D') ? id
            : System.Guid.Parse(Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column)));
    }

    /// <summary>The column's text as UTF-8 (empty for NULL), valid until the next row or the column is read again.</summary>
    public ReadOnlySpan<byte> Text(int column)
    {
        if (statement is not null) return raw.sqlite3_column_blob(statement, column);
        if (reader!.IsDBNull(column)) return [];
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
        if (reader is not null) await reader.DisposeAsync();
        statement?.Dispose();
        await command.DisposeAsync();
    }
}
