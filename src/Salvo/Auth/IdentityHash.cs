using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Salvo.Auth;

/// <summary>
/// The non-secret identity of a credential: PBKDF2-HMAC-SHA256 over its length-prefixed parts (kind, endpoint, client id,
/// scope, resource, secret), 16 bytes in lowercase hex. Computed once per credential.
/// </summary>
/// <remarks>
/// A plain SHA-256 of a secret can be checked against guesses at billions per second, and the hash is shown in logs,
/// errors and store file names; the iterations make each guess cost thousands of hashes. The salt is fixed so the
/// identity is the same in every process (a token store shared by runs and workers needs that).
/// </remarks>
internal static class IdentityHash
{
    private const int Bytes = 16;
    private const int Iterations = 10_000;
    private static readonly byte[] Salt = "salvo-auth/1"u8.ToArray();

    public static string Of(string kind, IEnumerable<string?> parts)
    {
        string?[] all = [kind, .. parts];
        var input = new byte[all.Sum(p => 4 + (p is null ? 0 : Encoding.UTF8.GetByteCount(p)))];
        var at = 0;
        foreach (var part in all)
        {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike; null differs from empty.
            var length = part is null ? -1 : Encoding.UTF8.GetByteCount(part);
            BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(at), length);
            at += 4;
            if (part is not null)
                at += Encoding.UTF8.GetBytes(part, input.AsSpan(at));
        }
        try
        {
            return Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(input, Salt, Iterations, HashAlgorithmName.SHA256, Bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input); // the parts include the secret
        }
    }
}
