using Microsoft.AspNetCore.Connections;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Hosting;

/// <summary>
/// A Kestrel connection middleware (before TLS): counts every new connection and holds it for
/// <see cref="SandboxOptions.ConnectionLatency"/>, the handshake round trips that loopback does not have.
/// </summary>
internal sealed class ConnectionLatencyMiddleware(SandboxRuntime runtime)
{
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        runtime.Stats.ConnectionOpened();
        var delay = runtime.Options.ConnectionLatency;
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, runtime.TimeProvider, runtime.Stopping);
            }
            catch (OperationCanceledException)
            {
                // The server is stopping: close the connection without serving it.
                return;
            }
        }
        await next(connection);
    };
}
