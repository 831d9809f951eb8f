using System.Security.Cryptography;

namespace Salvo.Sandbox.Http;

/// <summary>A response body serialized once, with a strong entity tag derived from its bytes (stable across requests and restarts).</summary>
internal sealed record CacheableBody(byte[] Body, string ETag)
{
    public static CacheableBody Create(byte[] body) =>
        new(body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16))}\"");
}
