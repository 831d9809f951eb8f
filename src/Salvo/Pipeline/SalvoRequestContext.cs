using Salvo.Telemetry;

namespace Salvo.Pipeline;

/// <summary>
/// Per-call state the pipeline's handlers share: the total budget (so retries never sleep past it) and
/// the number of attempts made (so errors can say it).
/// </summary>
/// <remarks>
/// Requests Salvo builds are <see cref="SalvoRequestMessage"/>s that carry it in a field; for any other
/// request it lives in <see cref="HttpRequestMessage.Options"/>, so every handler also works alone.
/// </remarks>
internal sealed class SalvoRequestContext
{
    private static readonly HttpRequestOptionsKey<SalvoRequestContext> Key = new("Salvo.RequestContext");

    private SalvoRequestContext(TimeProvider timeProvider)
    {
        TimeProvider = timeProvider;
        StartTimestamp = timeProvider.GetTimestamp();
    }

    public TimeProvider TimeProvider { get; }

    /// <summary>When the call started, in <see cref="TimeProvider"/> timestamp units.</summary>
    public long StartTimestamp { get; private set; }

    /// <summary>The total budget, or <see cref="Timeout.InfiniteTimeSpan"/> while no one owns one.</summary>
    public TimeSpan TotalBudget { get; private set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Whether an outer layer already enforces the total budget.</summary>
    public bool HasTotalBudget { get; private set; }

    /// <summary>Attempts sent to the transport so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Time left in the total budget; <see cref="Timeout.InfiniteTimeSpan"/> when there is none.</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (!HasTotalBudget || TotalBudget == Timeout.InfiniteTimeSpan)
                return Timeout.InfiniteTimeSpan;
            var left = TotalBudget - TimeProvider.GetElapsedTime(StartTimestamp);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public void StartBudget(TimeSpan total)
    {
        StartTimestamp = TimeProvider.GetTimestamp();
        TotalBudget = total;
        HasTotalBudget = true;
    }

    public SalvoErrorContext ToErrorContext(HttpRequestMessage request) => ErrorContextFor(request, Attempts);

    public static SalvoErrorContext ErrorContextFor(HttpRequestMessage request, int attempts) =>
        new(request.Method.Method, Redaction.RedactUrl(request.RequestUri), Math.Max(attempts, 1));

    public static SalvoRequestContext? Find(HttpRequestMessage request)
    {
        if (request is SalvoRequestMessage salvo)
            return salvo.Context;
        return request.Options.TryGetValue(Key, out var context) ? context : null;
    }

    public static SalvoRequestContext GetOrCreate(HttpRequestMessage request, TimeProvider timeProvider)
    {
        if (request is SalvoRequestMessage salvo)
            return salvo.Context ??= new SalvoRequestContext(timeProvider);
        if (request.Options.TryGetValue(Key, out var context))
            return context;
        context = new SalvoRequestContext(timeProvider);
        request.Options.Set(Key, context);
        return context;
    }
}
