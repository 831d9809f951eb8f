using System.Net;

namespace Salvo.Tests.RateLimiting;

/// <summary>How a <see cref="ModelServer"/> keeps its windows.</summary>
internal enum ModelWindowKind
{
    /// <summary>A window opens at the first request after the previous one ended (Riot, the Sandbox).</summary>
    FixedFromFirstUse,

    /// <summary>Windows are aligned to the clock: [kL, (k+1)L).</summary>
    ClockAligned,

    /// <summary>A true sliding log: the requests of the last L.</summary>
    Sliding,
}

/// <summary>Which headers a <see cref="ModelServer"/> advertises its windows in.</summary>
internal enum ModelFamily
{
    Riot,
    Ietf,
    GitHubEpoch,
    GitHubDelta,
    None,
}

/// <summary>
/// A server's rate limiter in simulated time (TimeSpan ticks from the start), for property tests: decides each request
/// against every window, answers 429 beyond them, and describes its windows in one header family.
/// </summary>
internal sealed class ModelServer
{
    private readonly ModelWindowKind _kind;
    private readonly ModelFamily _family;
    private readonly DateTimeOffset _epoch;
    private readonly Window[] _windows;

    public ModelServer(ModelWindowKind kind, ModelFamily family, IReadOnlyList<(int Limit, int Seconds)> windows, DateTimeOffset epoch)
    {
        _kind = kind;
        _family = family;
        _epoch = epoch;
        _windows = [.. windows.Select(w => new Window(w.Limit, TimeSpan.FromSeconds(w.Seconds).Ticks))];
    }

    public int Admitted { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>Usage from before the client started (a previous run): <paramref name="used"/> requests at <paramref name="at"/> (ticks, ≤ 0).</summary>
    public void Seed(int window, int used, long at)
    {
        var w = _windows[window];
        for (var i = 0; i < used; i++)
            w.Times.Enqueue(at);
        w.Start = _kind == ModelWindowKind.ClockAligned ? Align(at, w.Length) : at;
        w.Count = used;
    }

    /// <summary>Decides a request arriving at <paramref name="now"/> and builds its response (headers as of the decision).</summary>
    public HttpResponseMessage Decide(long now)
    {
        foreach (var w in _windows)
            Expire(w, now);
        var admitted = _windows.All(w => w.Count < w.Limit);
        if (admitted)
        {
            Admitted++;
            foreach (var w in _windows)
            {
                if (w.Count == 0 && _kind != ModelWindowKind.Sliding)
                    w.Start = _kind == ModelWindowKind.ClockAligned ? Align(now, w.Length) : now;
                w.Count++;
                w.Times.Enqueue(now);
            }
        }
        else
        {
            Rejected++;
        }
        var response = new HttpResponseMessage(admitted ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests);
        AddHeaders(response, now);
        if (!admitted)
            response.Headers.TryAddWithoutValidation("Retry-After", "1");
        return response;
    }

    public string Describe() =>
        $"{_kind} {_family} [{string.Join(",", _windows.Select(w => $"{w.Limit}/{TimeSpan.FromTicks(w.Length).TotalSeconds}s"))}]";

    private static long Align(long at, long length) => (long)Math.Floor(at / (double)length) * length;

    private void Expire(Window w, long now)
    {
        if (_kind == ModelWindowKind.Sliding)
        {
            while (w.Times.Count > 0 && w.Times.Peek() <= now - w.Length)
                w.Times.Dequeue();
            w.Count = w.Times.Count;
        }
        else if (w.Count > 0 && now >= w.Start + w.Length)
        {
            w.Count = 0;
            w.Times.Clear();
        }
    }

    /// <summary>When the window's current count is gone: its end, or (sliding) one length from now.</summary>
    private long ResetAt(Window w, long now) =>
        _kind == ModelWindowKind.Sliding || w.Count == 0 ? now + w.Length : w.Start + w.Length;

    private void AddHeaders(HttpResponseMessage response, long now)
    {
        var headers = response.Headers;
        static string Seconds(long ticks) => ((long)Math.Ceiling(ticks / (double)TimeSpan.TicksPerSecond)).ToString();
        switch (_family)
        {
            case ModelFamily.Riot:
                headers.TryAddWithoutValidation("X-App-Rate-Limit", string.Join(",", _windows.Select(w => $"{w.Limit}:{Seconds(w.Length)}")));
                headers.TryAddWithoutValidation("X-App-Rate-Limit-Count", string.Join(",", _windows.Select(w => $"{w.Count}:{Seconds(w.Length)}")));
                break;
            case ModelFamily.Ietf:
                headers.TryAddWithoutValidation("RateLimit-Policy", string.Join(", ", _windows.Select((w, i) => $"\"p{i}\";q={w.Limit};w={Seconds(w.Length)}")));
                headers.TryAddWithoutValidation("RateLimit", string.Join(", ", _windows.Select((w, i) => $"\"p{i}\";r={w.Limit - w.Count};t={Seconds(ResetAt(w, now) - now)}")));
                break;
            case ModelFamily.GitHubEpoch or ModelFamily.GitHubDelta:
                var only = _windows.Single();
                var reset = ResetAt(only, now);
                headers.TryAddWithoutValidation("X-RateLimit-Limit", only.Limit.ToString());
                headers.TryAddWithoutValidation("X-RateLimit-Remaining", (only.Limit - only.Count).ToString());
                headers.TryAddWithoutValidation("X-RateLimit-Reset", _family == ModelFamily.GitHubDelta
                    ? Seconds(reset - now)
                    : ((long)Math.Ceiling((_epoch + TimeSpan.FromTicks(reset) - DateTimeOffset.UnixEpoch).TotalSeconds)).ToString());
                break;
        }
    }

    private sealed class Window(int limit, long length)
    {
        public int Limit { get; } = limit;

        public long Length { get; } = length;

        public long Start { get; set; }

        public int Count { get; set; }

        public Queue<long> Times { get; } = new();
    }
}
