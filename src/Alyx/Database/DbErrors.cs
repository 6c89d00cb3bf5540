using Microsoft.Data.Sqlite;
using Npgsql;

namespace Alyx.Database;

/// <summary>Provider errors the application reacts to: unique violations, and conflicts that a retried transaction resolves.</summary>
public static class DbErrors
{
    /// <summary>A unique index or primary key refused the write (PostgreSQL 23505, SQLite constraint UNIQUE / PRIMARY KEY).</summary>
    public static bool IsUniqueViolation(Exception e) => Causes(e).Any(x => x switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    });

    /// <summary>A unique violation, deadlock or serialization failure: retrying the whole transaction can succeed.</summary>
    public static bool IsRetryable(Exception e) => IsUniqueViolation(e) || Causes(e).Any(x => x is PostgresException
    {
        SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
    });

    static IEnumerable<Exception> Causes(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException) yield return x;
    }
}
