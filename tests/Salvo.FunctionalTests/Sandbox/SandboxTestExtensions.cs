using System.Net.Http.Json;
using System.Text.Json;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

/// <summary>Small conveniences shared by the Sandbox tests.</summary>
internal static class SandboxTestExtensions
{
    public static HttpClient CreateClient(this SandboxServer sandbox, HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler()) { BaseAddress = sandbox.BaseAddress };

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new ShouldAssertException($"Header {name} is missing.");

    public static long Route(this SandboxStats stats, string route) =>
        stats.RequestsByRoute.TryGetValue(route, out var count) ? count : 0;
}
