using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("500us", 0.5)]
    [InlineData("200ms", 200)]
    [InlineData("1s", 1000)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData(" 250ms ", 250)]
    public void ParseDuration_ValidText_ReturnsDuration(string text, double milliseconds) =>
        SandboxOptionsParser.ParseDuration(text).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("ms")]
    [InlineData("-1s")]
    [InlineData("1d")]
    [InlineData("abc")]
    public void ParseDuration_InvalidText_ThrowsFormatException(string text) =>
        Should.Throw<FormatException>(() => SandboxOptionsParser.ParseDuration(text));

    [Theory]
    [InlineData("0")]
    [InlineData("500us")]
    [InlineData("200ms")]
    [InlineData("1.5s")]
    [InlineData("2m")]
    [InlineData("1h")]
    public void FormatDuration_RoundTrips(string text) =>
        SandboxOptionsParser.FormatDuration(SandboxOptionsParser.ParseDuration(text)).ShouldBe(text);

    [Theory]
    [InlineData("0", SandboxLatencyKind.None)]
    [InlineData("200ms", SandboxLatencyKind.Fixed)]
    [InlineData("1.5s", SandboxLatencyKind.Fixed)]
    [InlineData("100ms..300ms", SandboxLatencyKind.Uniform)]
    [InlineData("lognormal:50ms,p99=500ms", SandboxLatencyKind.LogNormal)]
    public void LatencyParse_ValidText_RoundTripsThroughToString(string text, SandboxLatencyKind kind)
    {
        var latency = SandboxLatency.Parse(text);

        latency.Kind.ShouldBe(kind);
        latency.ToString().ShouldBe(text);
        SandboxLatency.Parse(latency.ToString()).ShouldBe(latency);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("300ms..100ms")]
    [InlineData("lognormal:50ms")]
    [InlineData("lognormal:500ms,p99=50ms")]
    [InlineData("lognormal:0,p99=50ms")]
    public void LatencyParse_InvalidText_ThrowsFormatException(string text) =>
        Should.Throw<FormatException>(() => SandboxLatency.Parse(text));

    [Fact]
    public void LatencySample_Fixed_IsAlwaysTheDelay()
    {
        var latency = SandboxLatency.Fixed(TimeSpan.FromMilliseconds(200));

        Enumerable.Range(0, 10).Select(_ => latency.Sample(new Random(1))).ShouldAllBe(d => d == TimeSpan.FromMilliseconds(200));
        SandboxLatency.None.Sample(new Random(1)).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void LatencySample_Uniform_StaysInRangeAndSpreads()
    {
        var latency = SandboxLatency.Uniform(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));
        var random = new Random(5);

        var samples = Enumerable.Range(0, 1000).Select(_ => latency.Sample(random).TotalMilliseconds).ToList();

        samples.ShouldAllBe(ms => ms >= 100 && ms <= 300);
        samples.Average().ShouldBeInRange(190, 210);
    }

    [Fact]
    public void LatencySample_LogNormal_HasRequestedMedianAndP99()
    {
        var latency = SandboxLatency.LogNormal(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500));
        var random = new Random(9);

        var samples = Enumerable.Range(0, 20_000).Select(_ => latency.Sample(random).TotalMilliseconds).Order().ToList();

        samples[samples.Count / 2].ShouldBeInRange(45, 55);
        samples[(int)(samples.Count * 0.99)].ShouldBeInRange(400, 625);
    }
}
