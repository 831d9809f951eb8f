using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// One of the racing attempts: its request, its own cancellation source (cancelled by the call's token too, and armed
/// by the attempt-budget stage below with the attempt's budget — see <see cref="AttemptSource"/>), its start and its task;
/// for the first attempt, what a copy of its request needs (<see cref="Clone"/>) and the wait for its answer or the hedge
/// delay (<see cref="AnswersWithinAsync"/>).
/// </summary>
/// <remarks>
/// Pooled per handler (<see cref="HedgedAttemptPool"/>): an attempt whose answer is kept goes back with its source reset
/// and its timer stopped, so a call whose hedge never fires allocates nothing here. A discarded attempt (the loser of a
/// race) is not reused: its source was cancelled, and its task may still be running.
/// </remarks>
internal sealed partial class HedgedAttempt
{
    private readonly HedgedAttemptPool _pool;
    private readonly TimeProvider _timeProvider;
    private AttemptSource? _source;

    public HedgedAttempt(HedgedAttemptPool pool, TimeProvider timeProvider)
    {
        _pool = pool;
        _timeProvider = timeProvider;
        _onAnswered = OnAnswered;
    }

    public HttpRequestMessage Request { get; private set; } = null!;

    public Task<HttpResponseMessage> Task { get; private set; } = null!;

    public long Start { get; private set; }

    /// <summary>What a copy of this attempt's request needs, taken before it was sent (the first attempt's only).</summary>
    public RequestClone Clone;

    /// <summary>Completed with a response that is not transient: an answer worth returning.</summary>
    public bool Succeeded => Task.IsCompletedSuccessfully && !TransientOutcomes.IsTransient(Task.Result);

    /// <summary>Sends <paramref name="request"/> on this attempt's source, within the call's token.</summary>
    public void Run(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var source = _source ??= new AttemptSource(_timeProvider);
        source.Begin(cancellationToken);
        source.AttachTo(request);
        Request = request;
        Start = _timeProvider.GetTimestamp();
        Task<HttpResponseMessage> task;
        try
        {
            task = send(request, source.Token);
        }
        catch (Exception ex)
        {
            task = System.Threading.Tasks.Task.FromException<HttpResponseMessage>(ex);
        }
        Task = task;
        _watching = false;
        // An attempt that answered at once needs no link to the call's token: nothing is left to cancel.
        if (!task.IsCompleted)
            source.Link();
    }

    /// <summary>The attempt's answer is being returned (or it ended before any race): it goes back to the pool.</summary>
    public void Keep()
    {
        StopTimer();
        var source = _source!;
        source.DetachFrom(Request);
        if (!source.TryReset())
        {
            source.Dispose();
            _source = null;
        }
        Request = null!;
        Task = null!;
        Clone = default;
        _pool.Return(this);
    }

    /// <summary>
    /// The attempt lost: it is cancelled, and whatever it ends with — a response is disposed, an exception observed —
    /// is cleaned up when it ends, without making the winner wait for it.
    /// </summary>
    public void Discard()
    {
        StopTimer();
        if (!Task.IsCompleted)
            _source!.Discard();
        Clone = default;
        Task.ContinueWith(
            static (task, state) =>
            {
                if (task.IsCompletedSuccessfully)
                    task.Result.Dispose();
                else
                    _ = task.Exception; // observed, so it never surfaces as an unobserved task exception
                ((HedgedAttempt)state!).Dispose();
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Releases the source and the timer (an attempt that is not going back to the pool).</summary>
    public void Dispose()
    {
        _source?.Dispose();
        _source = null;
        _timer?.Dispose();
        _timer = null;
    }
}
