using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Salvo.Sandbox.Auth;

/// <summary>Reads the token of an <c>Authorization: Bearer &lt;token&gt;</c> header.</summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer ";

    public static string? From(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var token = header[Scheme.Length..].Trim();
        return token.Length > 0 ? token : null;
    }
}
