using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Salvo.FunctionalTests.GraphQL;

/// <summary>
/// The real GraphQL server under <c>tests/peers/graphql</c> (graphql-yoga + graphql-ws on Node), run as a child process on
/// 127.0.0.1. Tests stop and restart it to prove reconnects. The process is always killed: on dispose, on a failed start,
/// and at test-host exit; it also exits by itself when its stdin (this process) goes away.
/// </summary>
internal sealed class GraphQLPeer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private static readonly HashSet<Process> Running = [];
    private static readonly HttpClient Http = new();
    private Process? _process;

    static GraphQLPeer() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Running)
        {
            foreach (var process in Running)
                Kill(process);
        }
    };

    private GraphQLPeer(int port) => Port = port;

    public int Port { get; private set; }

    /// <summary>Where queries and mutations go.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Starts the server on a free port (or on <paramref name="port"/>).</summary>
    /// <exception cref="InvalidOperationException">Node or the npm packages are missing: the test fails and says how to fix it.</exception>
    public static async Task<GraphQLPeer> StartAsync(int port = 0)
    {
        var peer = new GraphQLPeer(port);
        await peer.StartProcessAsync();
        return peer;
    }

    /// <summary>Kills the server, as a crash or a deploy would (every socket drops without a close frame).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
            return;
        _process = null;
        Kill(process);
        await process.WaitForExitAsync();
        lock (Running)
            Running.Remove(process);
        process.Dispose();
    }

    /// <summary>Kills the server and starts a new one on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    /// <summary>The <c>connection_init</c> payloads this server process has seen, in order.</summary>
    public async Task<JsonElement[]> InitsAsync() =>
        (await Http.GetFromJsonAsync<JsonElement[]>(new Uri(BaseAddress, "_peer/inits")))!;

    /// <summary>How many subscriptions are active on this server process.</summary>
    public async Task<int> SubscribersAsync() =>
        await Http.GetFromJsonAsync<int>(new Uri(BaseAddress, "_peer/subscribers"));

    /// <summary>How many protocol pings clients have sent this server process.</summary>
    public async Task<int> PingsAsync() =>
        await Http.GetFromJsonAsync<int>(new Uri(BaseAddress, "_peer/pings"));

    /// <summary>Freezes the server (SIGSTOP): its sockets stay open but nothing answers, as with a dead peer behind a NAT.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>Lets a frozen server run again (SIGCONT).</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    /// <summary>Closes every WebSocket with 1000: a clean close, no error anywhere.</summary>
    public async Task CloseSocketsAsync()
    {
        using var response = await Http.PostAsync(new Uri(BaseAddress, "_peer/close"), null);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartProcessAsync()
    {
        var directory = PeerDirectory();
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
            throw new InvalidOperationException($"The GraphQL peer's npm packages are not installed: run ./test.sh, or 'npm ci' in {directory}.");
        var start = new ProcessStartInfo("node", ["server.mjs", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js is not installed (no 'node' on PATH); the GraphQL tests need Node 20 or later.", ex);
        }
        lock (Running)
            Running.Add(process);
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                if (e.Data is not null && errors.Length < 4096)
                    errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(StartLimit);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            {
                await process.WaitForExitAsync(timeout.Token);
                lock (errors)
                    throw new InvalidOperationException($"The GraphQL peer did not start: {line} {errors}");
            }
            Port = int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            _process = process;
        }
        catch
        {
            Kill(process);
            lock (Running)
                Running.Remove(process);
            process.Dispose();
            throw;
        }
    }

    private async Task SignalAsync(string signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("The GraphQL peer is not running.");
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -{signal} {pid} failed with {kill.ExitCode}.");
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
    }

    private static string PeerDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "peers", "graphql");
            if (File.Exists(Path.Combine(candidate, "server.mjs")))
                return candidate;
        }
        throw new InvalidOperationException("tests/peers/graphql/server.mjs was not found above " + AppContext.BaseDirectory);
    }
}
