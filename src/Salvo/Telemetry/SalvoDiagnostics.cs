using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Salvo.Telemetry;

/// <summary>
/// The names to subscribe to: a <see cref="Meter"/> and an <see cref="ActivitySource"/>, both named
/// <see cref="Name"/>, using OpenTelemetry's HTTP client semantic conventions.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddOpenTelemetry()
///     .WithMetrics(m => m.AddMeter(SalvoDiagnostics.Name))
///     .WithTracing(t => t.AddSource(SalvoDiagnostics.Name));
/// </code>
/// </example>
public static class SalvoDiagnostics
{
    /// <summary>The name of Salvo's meter and activity source.</summary>
    /// <value>The value is <c>Salvo</c>.</value>
    public const string Name = "Salvo";

    /// <summary>The histogram of logical call durations, in seconds, up to the response headers.</summary>
    /// <value>The value is <c>http.client.request.duration</c>.</value>
    public const string RequestDurationInstrument = "http.client.request.duration";

    private static readonly string? Version = typeof(SalvoDiagnostics).Assembly.GetName().Version?.ToString(3);

    internal static readonly ActivitySource ActivitySource = new(Name, Version);

    internal static readonly Meter Meter = new(Name, Version);

    // Bucket boundaries recommended by OpenTelemetry for http.client.request.duration.
    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        RequestDurationInstrument,
        unit: "s",
        description: "Duration of logical HTTP client calls made through Salvo, retries included.",
        tags: null,
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
        });
}
