namespace Salvo.FunctionalTests.Sandbox;

/// <summary>
/// Waits for a condition the server reaches on its own threads (a request arriving, a timer being scheduled).
/// It polls a fact; it never waits for time to pass, which tests do with the fake clock instead.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(2);
        }
    }
}
