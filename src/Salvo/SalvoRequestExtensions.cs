namespace Salvo;

/// <summary>Attaches and reads <see cref="SalvoRequestSettings"/> on a request.</summary>
public static class SalvoRequestExtensions
{
    private static readonly HttpRequestOptionsKey<SalvoRequestSettings> Key = new("Salvo.RequestSettings");

    /// <summary>Attaches settings that override the client's options for this request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="settings">The settings.</param>
    /// <returns>The same request, for chaining.</returns>
    public static HttpRequestMessage WithSalvoSettings(this HttpRequestMessage request, SalvoRequestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        if (request is Pipeline.SalvoRequestMessage salvo)
            salvo.Settings = settings;
        else
            request.Options.Set(Key, settings);
        return request;
    }

    /// <summary>The settings attached to a request, or <see langword="null"/>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The settings, if any were attached.</returns>
    public static SalvoRequestSettings? GetSalvoSettings(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Reading Options allocates its dictionary; requests Salvo builds carry settings in a field instead.
        if (request is Pipeline.SalvoRequestMessage salvo)
            return salvo.Settings;
        return request.Options.TryGetValue(Key, out var settings) ? settings : null;
    }
}
