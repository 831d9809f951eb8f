using Microsoft.Data.Sqlite;

namespace Salvo.Caching;

public sealed partial class SqliteCacheStore
{
    // Tags are kept as "|a|b|" so one tag is found with instr() on "|a|"; the table stays one row per entry.
    private static string TagText(IReadOnlyList<string> tags) => tags.Count == 0 ? "" : "|" + string.Join('|', tags) + "|";

    private SqliteConnection Open(bool write = false)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            if (!Volatile.Read(ref _initialized))
                Initialize(connection);
            if (write)
                Execute(connection, "PRAGMA synchronous = NORMAL");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialize(SqliteConnection connection)
    {
        lock (_gate)
        {
            if (_initialized)
                return;
            // auto_vacuum must be chosen before the first table exists; incremental lets eviction give pages back.
            Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL");
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS salvo_cache (
                    key TEXT NOT NULL PRIMARY KEY,
                    resource TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    stored_at INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    data BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS salvo_cache_resource ON salvo_cache (resource);
                CREATE INDEX IF NOT EXISTS salvo_cache_stored_at ON salvo_cache (stored_at);
                """);
            Interlocked.Exchange(ref _bytes, CountBytes(connection));
            Volatile.Write(ref _initialized, true);
        }
    }

    /// <summary>Deletes the oldest entries until the rest take at most 90 % of the bound, then counts exactly.</summary>
    private void Evict(SqliteConnection connection)
    {
        lock (_gate)
        {
            var bytes = CountBytes(connection);
            if (bytes > _maxBytes)
            {
                using var command = connection.CreateCommand();
                command.CommandText = """
                    DELETE FROM salvo_cache WHERE key IN (
                        SELECT key FROM (SELECT key, SUM(size) OVER (ORDER BY stored_at DESC, key) AS kept FROM salvo_cache)
                        WHERE kept > $keep)
                    """;
                command.Parameters.AddWithValue("$keep", _maxBytes * 9 / 10);
                command.ExecuteNonQuery();
                Execute(connection, "PRAGMA incremental_vacuum");
                bytes = CountBytes(connection);
            }
            Interlocked.Exchange(ref _bytes, bytes);
        }
    }

    private static long CountBytes(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(size), 0) FROM salvo_cache";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Delete(SqliteConnection connection, string where, string value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM salvo_cache WHERE " + where;
        command.Parameters.AddWithValue("$p", value);
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
