namespace Salvo;

/// <summary>Creates <see cref="SalvoClient"/>s configured with <c>services.AddSalvoClient(name, ...)</c>.</summary>
/// <remarks>
/// Clients of one name share one pooled transport (owned by <c>IHttpClientFactory</c>) and one set of
/// statistics, so creating them is cheap; the keyed singleton registered for each name is usually all you need.
/// </remarks>
public interface ISalvoClientFactory
{
    /// <summary>Creates a client for a configured name.</summary>
    /// <param name="name">The name given to <c>AddSalvoClient</c>.</param>
    /// <returns>A client; disposing it does not close the shared transport.</returns>
    SalvoClient CreateClient(string name);
}
