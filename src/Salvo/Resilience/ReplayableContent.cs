namespace Salvo.Resilience;

/// <summary>
/// Makes a request body safe to send more than once. Byte-array and memory bodies (Salvo's JSON bodies,
/// <see cref="StringContent"/>, <see cref="FormUrlEncodedContent"/>) already are; anything else — a
/// <see cref="StreamContent"/> above all, whose stream is read to its end by the first send — is buffered before
/// the first attempt, and <see cref="HttpContent"/> then serves every send from that buffer.
/// </summary>
/// <remarks>Only requests that may be retried are buffered, so a large streamed upload costs memory only when it asked for retries.</remarks>
internal static class ReplayableContent
{
    public static bool IsReplayable(HttpContent? content) => content is null or ByteArrayContent or ReadOnlyMemoryContent;

    public static Task EnsureAsync(HttpContent? content, CancellationToken cancellationToken) =>
        IsReplayable(content) ? Task.CompletedTask : content!.LoadIntoBufferAsync(cancellationToken);

    /// <summary>The synchronous path: there is no synchronous buffering API, so this blocks on the asynchronous one.</summary>
    public static void Ensure(HttpContent? content, CancellationToken cancellationToken)
    {
        if (!IsReplayable(content))
            content!.LoadIntoBufferAsync(cancellationToken).GetAwaiter().GetResult();
    }
}
