using System.Text;

namespace Salvo.Caching;

/// <summary>A compact, versioned binary form of <see cref="CacheEntry"/>, for stores that keep bytes (SQLite, Redis).</summary>
public static class CacheEntrySerializer
{
    private const byte Version = 1;

    /// <summary>Writes an entry as bytes.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Serialize(CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var stream = new MemoryStream(entry.Body.Length + 512);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(entry.Key);
            w.Write(entry.Resource);
            WriteList(w, entry.Tags);
            w.Write(entry.StatusCode);
            WritePairs(w, entry.Headers);
            WritePairs(w, entry.ContentHeaders);
            w.Write(entry.Body.Length);
            w.Write(entry.Body);
            w.Write(entry.StoredAt.UtcTicks);
            w.Write(entry.FreshUntil.UtcTicks);
            w.Write(entry.StaleWhileRevalidate.Ticks);
            w.Write(entry.StaleIfError.Ticks);
            w.Write(entry.MustRevalidate);
            WriteOptional(w, entry.ETag);
            WriteOptional(w, entry.LastModified);
            w.Write(entry.VaryHeaders is not null);
            if (entry.VaryHeaders is not null)
                WriteList(w, entry.VaryHeaders);
            w.Write(entry.IsVaryIndex);
            w.Write(entry.FetchDuration.Ticks);
        }
        return stream.ToArray();
    }

    /// <summary>Reads an entry written by <see cref="Serialize"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="InvalidDataException">The bytes are not an entry of a known version (corrupt or from another format).</exception>
    public static CacheEntry Deserialize(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            using var r = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
            if (r.ReadByte() != Version)
                throw new InvalidDataException("Unknown cache entry version.");
            var entry = new CacheEntry
            {
                Key = r.ReadString(),
                Resource = r.ReadString(),
                Tags = ReadList(r),
                StatusCode = r.ReadInt32(),
                Headers = ReadPairs(r),
                ContentHeaders = ReadPairs(r),
                Body = r.ReadBytes(Count(r, int.MaxValue)),
                StoredAt = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero),
                FreshUntil = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero),
                StaleWhileRevalidate = TimeSpan.FromTicks(r.ReadInt64()),
                StaleIfError = TimeSpan.FromTicks(r.ReadInt64()),
                MustRevalidate = r.ReadBoolean(),
                ETag = ReadOptional(r),
                LastModified = ReadOptional(r),
                VaryHeaders = r.ReadBoolean() ? ReadList(r) : null,
                IsVaryIndex = r.ReadBoolean(),
                FetchDuration = TimeSpan.FromTicks(r.ReadInt64()),
            };
            if (r.BaseStream.Position != data.Length)
                throw new InvalidDataException("Trailing bytes after a cache entry.");
            return entry;
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentOutOfRangeException or FormatException or DecoderFallbackException)
        {
            throw new InvalidDataException("A cache entry could not be read: " + ex.Message, ex);
        }
    }

    private static void WriteOptional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
            w.Write(value);
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteList(BinaryWriter w, IReadOnlyList<string> items)
    {
        w.Write(items.Count);
        foreach (var item in items)
            w.Write(item);
    }

    private static string[] ReadList(BinaryReader r)
    {
        var items = new string[Count(r, 4096)];
        for (var i = 0; i < items.Length; i++)
            items[i] = r.ReadString();
        return items;
    }

    private static void WritePairs(BinaryWriter w, IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        w.Write(pairs.Count);
        foreach (var pair in pairs)
        {
            w.Write(pair.Key);
            w.Write(pair.Value);
        }
    }

    private static KeyValuePair<string, string>[] ReadPairs(BinaryReader r)
    {
        var pairs = new KeyValuePair<string, string>[Count(r, 4096)];
        for (var i = 0; i < pairs.Length; i++)
            pairs[i] = KeyValuePair.Create(r.ReadString(), r.ReadString());
        return pairs;
    }

    private static int Count(BinaryReader r, int max)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > max || count > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"A cache entry holds an impossible count ({count}).");
        return count;
    }
}
