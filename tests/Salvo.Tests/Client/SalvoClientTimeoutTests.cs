using Salvo.Testing;
using Salvo.Tests.Support;

namespace Salvo.Tests.Client;

public class SalvoClientTimeoutTests
{
    private readonly FakeTimeProvider _time = new();

    /// <summary>A transport that never answers: it waits for its token, like a hung server.</summary>
    private static StubHandler Hanging(TaskCompletionSource started) => new(async (_, ct) =>
    {
        started.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    private SalvoClient Client(StubHandler stub, TimeSpan total, TimeSpan? attempt = null)
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = _time };
        options.Retry.Enabled = false; // one attempt per call: a retried timeout is ClientRetryTests' subject
        options.Timeouts.Total = total;
        if (attempt is { } a)
            options.Timeouts.Attempt = a;
        return new SalvoClient(stub, options);
    }

    [Fact]
    public async Task GetJsonAsync_AttemptBudgetExpires_ThrowsAttemptTimeout()
    {
        var started = new TaskCompletionSource();
        await using var client = Client(Hanging(started), total: TimeSpan.FromSeconds(30), attempt: TimeSpan.FromSeconds(2));

        var call = client.GetJsonAsync("games/1", TestJson.Default.Game);
        await started.Task;
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        call.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => call);
        ex.Budget.ShouldBe(TimeoutBudget.Attempt);
        ex.Timeout.ShouldBe(TimeSpan.FromSeconds(2));
        ex.IsTransient.ShouldBeTrue();
        ex.Url.ShouldBe("http://api.test/games/1");
        ex.Message.ShouldContain("attempt timeout of 2000 ms");
    }

    [Fact]
    public async Task GetJsonAsync_TotalShorterThanAttempt_ThrowsTotalTimeout()
    {
        var started = new TaskCompletionSource();
        await using var client = Client(Hanging(started), total: TimeSpan.FromSeconds(1));

        var call = client.GetJsonAsync("games/1", TestJson.Default.Game);
        await started.Task;
        _time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => call);
        ex.Budget.ShouldBe(TimeoutBudget.Total, "the default attempt budget is clamped to the total, and the total is what the caller must change");
    }

    [Fact]
    public async Task GetJsonAsync_BodyHangsAfterHeaders_TotalBudgetCoversBody()
    {
        var body = new HangingStream();
        var stub = new StubHandler(_ => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StreamContent(body) { Headers = { { "Content-Type", "application/json" } } },
        });
        await using var client = Client(stub, total: TimeSpan.FromSeconds(5), attempt: TimeSpan.FromSeconds(1));

        var call = client.GetJsonAsync("games/1", TestJson.Default.Game);
        await body.ReadStarted.Task;
        _time.Advance(TimeSpan.FromSeconds(5));

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => call);
        ex.Budget.ShouldBe(TimeoutBudget.Total);
    }

    [Fact]
    public async Task GetJsonAsync_CallerCancels_ThrowsOperationCanceledNotSalvo()
    {
        var started = new TaskCompletionSource();
        await using var client = Client(Hanging(started), total: TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource();

        var call = client.GetJsonAsync("games/1", TestJson.Default.Game, cts.Token);
        await started.Task;
        await cts.CancelAsync();

        var ex = await Should.ThrowAsync<OperationCanceledException>(() => call);
        ex.ShouldNotBeAssignableTo<SalvoException>();
    }

    [Fact]
    public async Task GetJsonAsync_InfiniteBudgets_NoTimerScheduled()
    {
        var started = new TaskCompletionSource();
        await using var client = Client(Hanging(started), total: Timeout.InfiniteTimeSpan, attempt: Timeout.InfiniteTimeSpan);
        using var cts = new CancellationTokenSource();

        var call = client.GetJsonAsync("games/1", TestJson.Default.Game, cts.Token);
        await started.Task;
        _time.ActiveTimers.ShouldBe(0);
        _time.Advance(TimeSpan.FromDays(1));
        call.IsCompleted.ShouldBeFalse();
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task GetJsonAsync_CompletesInTime_LeavesNoTimerBehind()
    {
        await using var client = Client(StubHandler.Json("""{"id":"g","name":"n"}"""), total: TimeSpan.FromSeconds(5), attempt: TimeSpan.FromSeconds(1));

        await client.GetJsonAsync("games/1", TestJson.Default.Game);

        _time.ActiveTimers.ShouldBe(0);
    }

    [Fact]
    public async Task GetJsonAsync_UserTransportTimesOut_ThrowsTransportTimeout()
    {
        // What a user-provided HttpClient throws when its own Timeout fires.
        var stub = new StubHandler((_, _) => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException()));
        await using var client = Client(stub, total: TimeSpan.FromSeconds(30));

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.Budget.ShouldBe(TimeoutBudget.Transport);
    }

    private sealed class HangingStream : Stream
    {
        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadStarted.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
