using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// One of the racing attempts: its request, its own cancellation source (cancelled by the call's token too, and armed
/// by the attempt-budget stage below with the attempt's budget — see <see cref="AttemptSource"/>), its start and its task.
/// </summary>
internal sealed class HedgedAttempt
{
    private readonly AttemptSource _cancellation;

    private HedgedAttempt(HttpRequestMessage request, Task<HttpResponseMessage> task, AttemptSource cancellation, long start)
    {
        Request = request;
        Task = task;
        _cancellation = cancellation;
        Start = start;
    }

    public HttpRequestMessage Request { get; }

    public Task<HttpResponseMessage> Task { get; }

    public long Start { get; }

    /// <summary>Completed with a response that is not transient: an answer worth returning.</summary>
    public bool Succeeded => Task.IsCompletedSuccessfully && !TransientOutcomes.IsTransient(Task.Result);

    public static HedgedAttempt Run(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        HttpRequestMessage request,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var cancellation = new AttemptSource(cancellationToken, timeProvider);
        cancellation.AttachTo(request);
        var start = timeProvider.GetTimestamp();
        Task<HttpResponseMessage> task;
        try
        {
            task = send(request, cancellation.Token);
        }
        catch (Exception ex)
        {
            task = System.Threading.Tasks.Task.FromException<HttpResponseMessage>(ex);
        }
        return new HedgedAttempt(request, task, cancellation, start);
    }

    /// <summary>The attempt's answer is being returned: only its source is released.</summary>
    public void Keep() => _cancellation.Dispose();

    /// <summary>
    /// The attempt lost: it is cancelled, and whatever it ends with — a response is disposed, an exception observed —
    /// is cleaned up when it ends, without making the winner wait for it.
    /// </summary>
    public void Discard()
    {
        if (!Task.IsCompleted)
            _cancellation.Discard();
        Task.ContinueWith(
            static (task, state) =>
            {
                if (task.IsCompletedSuccessfully)
                    task.Result.Dispose();
                else
                    _ = task.Exception; // observed, so it never surfaces as an unobserved task exception
                ((AttemptSource)state!).Dispose();
            },
            _cancellation,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
