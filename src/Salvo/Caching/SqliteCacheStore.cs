using Microsoft.Data.Sqlite;

namespace Salvo.Caching;

/// <summary>
/// The persistent tier: one SQLite file (Microsoft.Data.Sqlite) in WAL mode, bounded by bytes, that survives restarts.
/// When the stored entries pass the bound, the oldest are deleted until they take 90 % of it.
/// </summary>
/// <remarks>
/// <para>Each call takes a pooled connection, so readers run side by side (WAL) and nothing stays open between calls.
/// Writes use <c>synchronous=NORMAL</c>: a power cut may lose the last answers stored, never corrupt the file — a cache
/// can afford that, and a miss costs no fsync.</para>
/// <para>A file that is not a database (or is corrupt) makes the first call throw; the cache then logs a warning and
/// switches the store off (see <see cref="ICacheStore"/>). A single unreadable row is deleted and read as a miss.</para>
/// </remarks>
public sealed partial class SqliteCacheStore : ICacheStore, IDisposable
{
    private readonly string _connectionString;
    private readonly long _maxBytes;
    private readonly Lock _gate = new();
    private bool _initialized;
    private long _bytes; // stored bytes, an over-estimate between recounts (replaced rows are added, not subtracted)

    /// <summary>Creates the store; the file is opened (and created when missing) on first use.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="maxBytes">The bound on stored entries, in bytes.</param>
    public SqliteCacheStore(string path, long maxBytes = CacheOptions.DefaultDatabaseMaxBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        Path = path;
        _maxBytes = maxBytes;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 5,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The bytes of the entries stored now (counted exactly after an eviction, estimated in between).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM salvo_cache WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        if (command.ExecuteScalar() is not byte[] data)
            return new((CacheEntry?)null);
        try
        {
            return new(CacheEntrySerializer.Deserialize(data));
        }
        catch (InvalidDataException)
        {
            Delete(connection, "key = $p", key);
            return new((CacheEntry?)null);
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var data = CacheEntrySerializer.Serialize(entry);
        if (data.Length > _maxBytes)
            return ValueTask.CompletedTask;
        using var connection = Open(write: true);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                INSERT OR REPLACE INTO salvo_cache (key, resource, tags, stored_at, size, data)
                VALUES ($key, $resource, $tags, $stored, $size, $data)
                """;
            command.Parameters.AddWithValue("$key", entry.Key);
            command.Parameters.AddWithValue("$resource", entry.Resource);
            command.Parameters.AddWithValue("$tags", TagText(entry.Tags));
            command.Parameters.AddWithValue("$stored", entry.StoredAt.UtcTicks);
            command.Parameters.AddWithValue("$size", data.Length);
            command.Parameters.AddWithValue("$data", data);
            command.ExecuteNonQuery();
        }
        if (Interlocked.Add(ref _bytes, data.Length) > _maxBytes)
            Evict(connection);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = Open(write: true);
        Delete(connection, "key = $p", key);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveResourceAsync(string resourcePrefix, bool exact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resourcePrefix);
        using var connection = Open(write: true);
        if (exact)
            Delete(connection, "resource = $p", resourcePrefix);
        else
            Delete(connection, "substr(resource, 1, length($p)) = $p", resourcePrefix);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        using var connection = Open(write: true);
        Delete(connection, "instr(tags, $p) > 0", TagText([tag]));
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the pooled connections to the file, so it can be moved or deleted.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
