using System.Security.Cryptography;
using System.Text;

namespace Salvo.Auth;

/// <summary>The non-secret identity of a credential: SHA-256 over its length-prefixed parts, the first 16 bytes in lowercase hex.</summary>
internal static class IdentityHash
{
    private const int Bytes = 16;

    public static string Of(string kind, IEnumerable<string?> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, "salvo-auth/1");
        Append(hash, kind);
        foreach (var part in parts)
            Append(hash, part);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..Bytes]);
    }

    // Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike; null differs from empty.
    private static void Append(IncrementalHash hash, string? part)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, part is null ? -1 : Encoding.UTF8.GetByteCount(part));
        hash.AppendData(length);
        if (part is not null)
            hash.AppendData(Encoding.UTF8.GetBytes(part));
    }
}
