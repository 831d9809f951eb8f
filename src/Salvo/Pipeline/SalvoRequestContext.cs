using Salvo.Telemetry;

namespace Salvo.Pipeline;

/// <summary>
/// Per-call state the pipeline's handlers share: the time budget (so retries never sleep past it) and
/// the number of attempts made (so errors can say it).
/// </summary>
/// <remarks>
/// Requests Salvo builds are <see cref="SalvoRequestMessage"/>s that carry it in a field; for any other
/// request it lives in <see cref="HttpRequestMessage.Options"/>, so every handler also works alone.
/// </remarks>
internal sealed class SalvoRequestContext
{
    private static readonly HttpRequestOptionsKey<SalvoRequestContext> Key = new("Salvo.RequestContext");
    private int _attempts;

    private SalvoRequestContext()
    {
    }

    /// <summary>The call's time budget, once a layer (the client, or a total-timeout handler used alone) owns one.</summary>
    public CallBudget? Budget { get; set; }

    /// <summary>Attempts sent to the transport so far.</summary>
    public int Attempts
    {
        get => Volatile.Read(ref _attempts);
        set => Volatile.Write(ref _attempts, value);
    }

    /// <summary>Counts one more attempt; atomic, because a hedge and its original run at once.</summary>
    public void CountAttempt() => Interlocked.Increment(ref _attempts);

    public SalvoErrorContext ToErrorContext(HttpRequestMessage request) => ErrorContextFor(request, Attempts);

    /// <summary>Whether the request's call budget ran out — a timeout, as opposed to the caller cancelling.</summary>
    public static bool BudgetExpired(HttpRequestMessage request) => Find(request)?.Budget is { TimedOut: true };

    /// <summary>What is left of the request's call budget; <see cref="Timeout.InfiniteTimeSpan"/> when no layer owns one.</summary>
    public static TimeSpan RemainingBudget(HttpRequestMessage request) => Find(request)?.Budget?.Remaining ?? Timeout.InfiniteTimeSpan;

    public static SalvoErrorContext ErrorContextFor(HttpRequestMessage request, int attempts) =>
        new(request.Method.Method, Redaction.RedactUrl(request.RequestUri), Math.Max(attempts, 1));

    public static SalvoRequestContext? Find(HttpRequestMessage request)
    {
        if (request is SalvoRequestMessage salvo)
            return salvo.Context;
        return request.Options.TryGetValue(Key, out var context) ? context : null;
    }

    public static SalvoRequestContext GetOrCreate(HttpRequestMessage request)
    {
        if (request is SalvoRequestMessage salvo)
            return salvo.Context ??= new SalvoRequestContext();
        if (request.Options.TryGetValue(Key, out var context))
            return context;
        context = new SalvoRequestContext();
        request.Options.Set(Key, context);
        return context;
    }
}
