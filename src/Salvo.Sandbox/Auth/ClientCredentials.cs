using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Salvo.Sandbox.Auth;

/// <summary>The client id and secret of a token request, from HTTP Basic (RFC 6749 section 2.3.1) or the form body.</summary>
internal sealed record ClientCredentials(string ClientId, string ClientSecret, bool FromBasicHeader)
{
    private const string BasicScheme = "Basic ";

    public static ClientCredentials? From(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (header.StartsWith(BasicScheme, StringComparison.OrdinalIgnoreCase))
            return FromBasic(header[BasicScheme.Length..].Trim());
        var id = form["client_id"].ToString();
        return id.Length > 0 ? new ClientCredentials(id, form["client_secret"].ToString(), FromBasicHeader: false) : null;
    }

    private static ClientCredentials? FromBasic(string encoded)
    {
        Span<byte> buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written))
            return null;
        var decoded = Encoding.UTF8.GetString(buffer[..written]);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        // Both halves are form-URL-encoded before being joined, as RFC 6749 requires.
        return colon < 0
            ? null
            : new ClientCredentials(Uri.UnescapeDataString(decoded[..colon].Replace('+', ' ')),
                Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' ')), FromBasicHeader: true);
    }
}
