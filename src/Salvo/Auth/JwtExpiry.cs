using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Salvo.Auth;

/// <summary>Reads the <c>exp</c> claim (seconds since the epoch, RFC 7519 section 4.1.4) of a JSON Web Token without checking its signature.</summary>
internal static class JwtExpiry
{
    private const int MaxPayloadChars = 16 * 1024;

    public static DateTimeOffset? Read(string token)
    {
        var first = token.IndexOf('.', StringComparison.Ordinal);
        if (first <= 0)
            return null;
        var second = token.IndexOf('.', first + 1);
        if (second < 0 || second - first - 1 is 0 or > MaxPayloadChars)
            return null;
        var payload = token.AsSpan(first + 1, second - first - 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, buffer, out _, out var written) != OperationStatus.Done)
                return null;
            return Exp(buffer.AsSpan(0, written));
        }
        catch (FormatException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static DateTimeOffset? Exp(ReadOnlySpan<byte> json) =>
        FlatJson.TryFind(json, "exp"u8, out var reader) && reader.TokenType == JsonTokenType.Number
        && reader.TryGetDouble(out var seconds) && seconds is > 0 and < 253402300799
            ? DateTimeOffset.UnixEpoch.AddSeconds(seconds)
            : null;
}
