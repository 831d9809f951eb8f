namespace Salvo.Pipeline;

/// <summary>
/// Puts a user's handler at the bottom of Salvo's pipeline without taking ownership: disposing the
/// pipeline never disposes the user's handler (the seeds' "user-provided session" rule).
/// </summary>
internal sealed class NonOwningHandler(HttpMessageHandler inner) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.Send(request, cancellationToken);
}
