using System.Diagnostics;

namespace Salvo.Telemetry;

/// <summary>OpenTelemetry HTTP client tag values, computed without per-call allocations where possible.</summary>
internal static class TelemetryTags
{
    private static readonly string[] StatusTexts = CreateStatusTexts();

    // Tag values are objects: boxing a status code or a port on every call would allocate, so the common
    // ones are boxed once.
    private static readonly object[] BoxedStatus = Enumerable.Range(0, 600).Select(static i => (object)i).ToArray();
    private static readonly object BoxedPort80 = 80;
    private static readonly object BoxedPort443 = 443;

    public static object Status(int status) => (uint)status < (uint)BoxedStatus.Length ? BoxedStatus[status] : status;

    public static object Port(int port) => port switch { 443 => BoxedPort443, 80 => BoxedPort80, _ => port };

    public static string Method(HttpMethod method) => method.Method switch
    {
        "GET" or "POST" or "PUT" or "DELETE" or "PATCH" or "HEAD" or "OPTIONS" or "TRACE" or "CONNECT" => method.Method,
        _ => "_OTHER",
    };

    public static string StatusText(int status) =>
        (uint)status < (uint)StatusTexts.Length ? StatusTexts[status] : status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ErrorType(Exception exception) => exception switch
    {
        SalvoTimeoutException => "timeout",
        SalvoConnectionException c => c.Error.ToString(),
        OperationCanceledException => "cancelled",
        HttpRequestException h => h.HttpRequestError.ToString(),
        _ => exception.GetType().FullName ?? "error",
    };

    public static TagList For(HttpRequestMessage request, int? status, string? errorType)
    {
        var tags = new TagList { { "http.request.method", Method(request.Method) } };
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            tags.Add("server.address", uri.Host);
            tags.Add("server.port", Port(uri.Port));
            tags.Add("url.scheme", uri.Scheme);
        }
        if (status is { } s)
            tags.Add("http.response.status_code", Status(s));
        if (errorType is not null)
            tags.Add("error.type", errorType);
        return tags;
    }

    private static string[] CreateStatusTexts()
    {
        var texts = new string[600];
        for (var i = 0; i < texts.Length; i++)
            texts[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return texts;
    }
}
