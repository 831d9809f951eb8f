using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class SelectConcurrentAsyncSourceTests
{
    [Fact]
    public async Task SelectConcurrentAsync_AsyncSource_YieldsEveryItemInInputOrder()
    {
        var values = new List<string>();
        await foreach (var result in PagesAsync(25).SelectConcurrentAsync(
            async (i, _) =>
            {
                await Task.Yield();
                return $"#{i}";
            },
            maxConcurrency: 4,
            ResultOrder.Input))
        {
            values.Add(result.Value);
        }
        values.ShouldBe(Enumerable.Range(0, 25).Select(i => $"#{i}"));
    }

    [Fact]
    public async Task SelectConcurrentAsync_AsyncSourceWithOptions_UsesTheBound()
    {
        var tracker = new InFlightTracker();
        var options = new ConcurrencyOptions { MaxConcurrency = 3 };
        var count = 0;
        await foreach (var _ in PagesAsync(100).SelectConcurrentAsync(
            async (i, _) =>
            {
                tracker.Enter();
                await Task.Yield();
                tracker.Exit();
                return i;
            },
            options))
        {
            count++;
        }
        count.ShouldBe(100);
        tracker.Max.ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public async Task SelectConcurrentAsync_ConsumerBreaks_CancelsTheSourcesTokenAndDisposesIt()
    {
        var source = new EndlessSource();
        await foreach (var result in source.SelectConcurrentAsync((i, _) => Task.FromResult(i), maxConcurrency: 2))
        {
            if (result.Index == 5)
                break;
        }

        source.Disposed.ShouldBeTrue();
        source.Token.IsCancellationRequested.ShouldBeTrue();
    }

    [Fact]
    public async Task SelectConcurrentAsync_AsyncSourceThrows_SurfacesTheErrorAfterPulledItems()
    {
        var boom = new InvalidDataException("page 3 failed");
        var indexes = new List<int>();
        var thrown = await Should.ThrowAsync<InvalidDataException>(async () =>
        {
            await foreach (var result in FailingPagesAsync(3, boom).SelectConcurrentAsync((i, _) => Task.FromResult(i), 2, ResultOrder.Input))
                indexes.Add(result.Index);
        });
        thrown.ShouldBeSameAs(boom);
        indexes.ShouldBe([0, 1, 2]);
    }

    private static async IAsyncEnumerable<int> PagesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % 3 == 0)
                await Task.Yield();
            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> FailingPagesAsync(int failAt, Exception error)
    {
        for (var i = 0; ; i++)
        {
            await Task.Yield();
            if (i == failAt)
                throw error;
            yield return i;
        }
    }

    private sealed class EndlessSource : IAsyncEnumerable<int>
    {
        public bool Disposed { get; private set; }

        public CancellationToken Token { get; private set; }

        public IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            Token = cancellationToken;
            return IterateAsync(cancellationToken);
        }

        private async IAsyncEnumerator<int> IterateAsync(CancellationToken cancellationToken)
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await Task.Yield();
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }
    }
}
