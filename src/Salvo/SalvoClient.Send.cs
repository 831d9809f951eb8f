using Salvo.Http;
using Salvo.Pipeline;

namespace Salvo;

public sealed partial class SalvoClient
{
    /// <summary>
    /// Sends a request through the pipeline and returns the response whatever its status (like
    /// <see cref="HttpClient.SendAsync(HttpRequestMessage, CancellationToken)"/>); transport failures are typed
    /// Salvo exceptions. The body is read into memory, up to <see cref="SalvoClientOptions.MaxResponseSize"/>.
    /// </summary>
    /// <param name="request">The request; a relative URL is resolved against <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response; dispose it.</returns>
    /// <exception cref="SalvoException">A timeout, connection failure or oversized body.</exception>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>
    /// Sends a request and returns the response whatever its status. With
    /// <see cref="HttpCompletionOption.ResponseHeadersRead"/> the body is left on the connection for the
    /// caller to stream (still capped at <see cref="SalvoClientOptions.MaxResponseSize"/>), and the total
    /// budget ends when the headers arrive.
    /// </summary>
    /// <param name="request">The request; a relative URL is resolved against <see cref="BaseAddress"/>.</param>
    /// <param name="completionOption">Whether to read the body before returning.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response; dispose it.</returns>
    /// <exception cref="SalvoException">A timeout, connection failure or oversized body.</exception>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completionOption, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfDisposed();
        _requests.Adopt(request);
        using var budget = StartCall(request, cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            response = await _invoker.SendAsync(request, budget.Token).ConfigureAwait(false);
            response.Content = new LimitedContent(response.Content, _options.MaxResponseSize, request);
            if (completionOption == HttpCompletionOption.ResponseContentRead)
                await response.Content.LoadIntoBufferAsync(budget.Token).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex) when (Map(ex, request, budget, cancellationToken) is { } mapped)
        {
            response?.Dispose();
            throw mapped;
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The path of every buffered call: sends a request Salvo built, turns a 4xx or 5xx into a typed
    /// <see cref="SalvoHttpException"/>, reads the whole body (bounded by <see cref="SalvoClientOptions.MaxResponseSize"/>)
    /// and decodes it synchronously — all within the total budget — then disposes the response (and the request,
    /// when Salvo built it).
    /// </summary>
    /// <remarks>
    /// One async frame for send, check and read keeps the call short to JIT-tier and cheap to run; decoding from
    /// the buffered bytes is faster than streaming for API-sized bodies and gives decoding errors their preview.
    /// </remarks>
    private async Task<TResult> ExecuteAsync<TState, TResult>(
        HttpRequestMessage request,
        TState state,
        Func<TState, HttpResponseMessage, PooledBody, TResult> decode,
        bool ownsRequest,
        CancellationToken cancellationToken)
    {
        using var owned = ownsRequest ? request : null;
        using var budget = StartCall(request, cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            response = await _invoker.SendAsync(request, budget.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ErrorFromAsync(response, budget).ConfigureAwait(false);
            using var body = await BodyReader.ReadAsync(response.Content, _options.MaxResponseSize, request, budget.Token).ConfigureAwait(false);
            return decode(state, response, body);
        }
        catch (Exception ex) when (Map(ex, request, budget, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>Sends a request Salvo built and checks the status; the caller owns the response and reads it.</summary>
    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, CallBudget budget, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await _invoker.SendAsync(request, budget.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await ErrorFromAsync(response, budget).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex) when (Map(ex, request, budget, cancellationToken) is { } mapped)
        {
            response?.Dispose();
            throw mapped;
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }

    private Task<SalvoHttpException> ErrorFromAsync(HttpResponseMessage response, CallBudget budget) =>
        SalvoErrors.FromResponseAsync(response, ErrorContexts.Of(response.RequestMessage)!, _options.TimeProvider, _options.AllowAutoRedirect, budget.Token);

    /// <summary>Starts the call's budget; it covers sending, every attempt and reading the body.</summary>
    private CallBudget StartCall(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var budget = CallBudget.Start(_options.Timeouts.Total, _options.TimeProvider, cancellationToken);
        SalvoRequestContext.GetOrCreate(request).Budget = budget;
        return budget;
    }

    private Exception? Map(Exception exception, HttpRequestMessage request, CallBudget budget, CancellationToken cancellationToken)
    {
        var mapped = SalvoErrors.Map(exception, request, budget, _salvoTransport, cancellationToken);
        if (mapped is null && exception is SalvoException salvo && salvo.Attempts == 0)
            salvo.Attempts = Math.Max(1, SalvoRequestContext.Find(request)?.Attempts ?? 1);
        return mapped;
    }
}
