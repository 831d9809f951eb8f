namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>
/// Waits for a fact that another thread establishes (a synchronous caller reaching the line). It polls the fact and
/// never waits for time to pass; the limit only keeps a broken test from hanging.
/// </summary>
internal static class Polling
{
    public static async Task UntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            limit.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }
}
