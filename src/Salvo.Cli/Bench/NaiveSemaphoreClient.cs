using System.Net;

namespace Salvo.Cli.Bench;

/// <summary>
/// The seeds' approach to "don't fire thousands of requests at once": one shared client, an
/// <c>asyncio.Semaphore</c>-style bound, gather over every id — and no idea of the server's rate limits.
/// </summary>
internal static class NaiveSemaphoreClient
{
    /// <summary>Sends <paramref name="requests"/> GETs with at most <paramref name="concurrency"/> in flight; counts outcomes.</summary>
    public static async Task<(int Ok, int TooMany, int Failed, TimeSpan Elapsed)> RunAsync(
        Uri baseAddress, string path, int requests, int concurrency, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseAddress };
        using var semaphore = new SemaphoreSlim(concurrency);
        int ok = 0, tooMany = 0, failed = 0;
        var start = TimeProvider.System.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, requests).Select(async _ =>
        {
            await semaphore.WaitAsync(cancellationToken);
            try
            {
                using var response = await http.GetAsync(path, cancellationToken);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    Interlocked.Increment(ref tooMany);
                else if (response.IsSuccessStatusCode)
                    Interlocked.Increment(ref ok);
                else
                    Interlocked.Increment(ref failed);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                semaphore.Release();
            }
        }));
        return (ok, tooMany, failed, TimeProvider.System.GetElapsedTime(start));
    }
}
