using System.Net;
using System.Text;
using Salvo.Auth;
using Salvo.Testing;

namespace Salvo.Tests.Auth;

/// <summary>A scripted custom login on a fake clock: counts its calls, can be held at a gate, can fail.</summary>
internal sealed class LoginScript(FakeTimeProvider time)
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The lifetime of each token issued.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, every login waits for it.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, every login throws it (after the gate).</summary>
    public Exception? Failure { get; set; }

    public SalvoToken? LastPrevious { get; private set; }

    public SalvoAuth Create(Action<SalvoAuthOptions>? configure = null, string identity = "user@example")
    {
        var options = new SalvoAuthOptions { TimeProvider = time };
        configure?.Invoke(options);
        return SalvoAuth.Custom(identity, LoginAsync, options);
    }

    public async ValueTask<SalvoToken> LoginAsync(SalvoToken? previous, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        LastPrevious = previous;
        if (Gate is { } gate)
            await gate.Task.WaitAsync(cancellationToken);
        if (Failure is { } failure)
            throw failure;
        return SalvoToken.ExpiringIn($"token-{n}", Lifetime, time.GetUtcNow());
    }
}

internal static class AuthKit
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (limit.IsCancellationRequested)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(1);
        }
    }

    public static HttpResponseMessage Text(HttpStatusCode status, string body = "") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };

    /// <summary>A JWT-shaped token (header.payload.signature) whose payload is <paramref name="payloadJson"/>.</summary>
    public static string Jwt(string payloadJson) =>
        $"{B64("{\"alg\":\"none\"}")}.{B64(payloadJson)}.sig";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
