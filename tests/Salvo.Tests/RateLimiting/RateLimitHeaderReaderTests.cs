using System.Net;
using Salvo.RateLimiting;
using Salvo.Testing;

namespace Salvo.Tests.RateLimiting;

public class RateLimitHeaderReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);

    [Fact]
    public void Read_GitHubEpochReset_IsSecondsFromNow()
    {
        var report = Read(HttpStatusCode.OK, RateHeaders.GitHub(5000, 4987, Now.AddSeconds(1800).ToUnixTimeSeconds()));

        Windows(report).ShouldBe([(RateLimitWindowSource.GitHub, false, 5000, 0.0, 13, 1800.0)]);
    }

    [Fact]
    public void Read_GitHubEpochReset_IsMeasuredAgainstTheServersDate()
    {
        // The server's clock is 10 s behind ours: its reset is 60 s after its own Date, not 50 s after our clock.
        var serverNow = Now.AddSeconds(-10);
        var report = Read(HttpStatusCode.OK, [.. RateHeaders.GitHub(60, 59, serverNow.AddSeconds(60).ToUnixTimeSeconds()), ("Date", serverNow.ToString("r"))]);

        report[0].ResetSeconds.ShouldBe(60);
    }

    [Fact]
    public void Read_GitHubDeltaAndMillisecondReset_AreBothUnderstood()
    {
        Read(HttpStatusCode.OK, RateHeaders.GitHub(10, 4, 30))[0].ResetSeconds.ShouldBe(30, "a small value is a delta");
        Read(HttpStatusCode.OK, RateHeaders.GitHub(10, 4, Now.AddSeconds(45).ToUnixTimeMilliseconds()))[0].ResetSeconds.ShouldBe(45, 0.001);
    }

    [Fact]
    public void Read_IetfStructuredFields_EveryPolicyWithItsState()
    {
        var report = Read(HttpStatusCode.OK, RateHeaders.Ietf(
            "\"burst\";q=100;w=60, \"day\";q=1000;w=86400",
            "\"burst\";r=42;t=17"));

        Windows(report).ShouldBe(
        [
            (RateLimitWindowSource.Ietf, false, 100, 60.0, 58, 17.0),
            (RateLimitWindowSource.Ietf, false, 1000, 86400.0, -1, -1.0),
        ]);
    }

    [Fact]
    public void Read_IetfMalformedPolicies_AreSkippedAndTheRestRead()
    {
        var report = Read(HttpStatusCode.OK,
        [
            ("RateLimit-Policy", "\"bad\";q=abc;w=60, \"neg\";q=10;w=-1, \"bytes\";q=10;qu=\"bytes\";w=1, \"zero\";q=0;w=1"),
            ("RateLimit-Policy", "\"ok\";q=5;w=1, \"open;q=1"),
            ("RateLimit", "\"ok\";r=x;t=1, garbage"),
        ]);

        Windows(report).ShouldBe([(RateLimitWindowSource.Ietf, false, 5, 1.0, -1, 1.0)]);
        report.HasFamily.ShouldBeTrue();
    }

    [Fact]
    public void Read_IetfPolicyNamedByQuota_AndLegacyTriple()
    {
        Windows(Read(HttpStatusCode.OK, [("RateLimit-Policy", "10;w=1")]))
            .ShouldBe([(RateLimitWindowSource.Ietf, false, 10, 1.0, -1, -1.0)]);
        Windows(Read(HttpStatusCode.OK, [("RateLimit-Limit", "100, 100;w=60, 1000;w=3600"), ("RateLimit-Remaining", "40"), ("RateLimit-Reset", "20")]))
            .ShouldBe([(RateLimitWindowSource.IetfLegacy, false, 100, 60.0, 60, 20.0), (RateLimitWindowSource.IetfLegacy, false, 1000, 3600.0, -1, -1.0)], ignoreOrder: true);
        Windows(Read(HttpStatusCode.OK, [("RateLimit-Limit", "10"), ("RateLimit-Remaining", "3")]))
            .ShouldBe([(RateLimitWindowSource.IetfLegacy, false, 10, 0.0, 7, -1.0)]);
    }

    [Fact]
    public void Read_RiotApplicationAndMethodWithCounts()
    {
        var report = Read(HttpStatusCode.OK, RateHeaders.Concat(RateHeaders.Riot("20:1,100:120", "3:1,7:120"), RateHeaders.RiotMethod("50:10", "2:10")));

        Windows(report).ShouldBe(
        [
            (RateLimitWindowSource.RiotApplication, false, 20, 1.0, 3, -1.0),
            (RateLimitWindowSource.RiotApplication, false, 100, 120.0, 7, -1.0),
            (RateLimitWindowSource.RiotMethod, true, 50, 10.0, 2, -1.0),
        ]);
    }

    [Fact]
    public void Read_RiotMalformedPairs_AreSkipped()
    {
        var report = Read(HttpStatusCode.OK, RateHeaders.Riot("20:1,x:5,7:0,:3,9:9:9,30:60", "1:1,oops"));

        Windows(report).ShouldBe(
        [
            (RateLimitWindowSource.RiotApplication, false, 20, 1.0, 1, -1.0),
            (RateLimitWindowSource.RiotApplication, false, 30, 60.0, -1, -1.0),
        ]);
    }

    [Theory]
    [InlineData("application", "Application")]
    [InlineData("METHOD", "Method")]
    [InlineData(" service ", "Service")]
    [InlineData("something", "Other")]
    [InlineData(null, "None")]
    public void Read_429_ReadsTypeAndRetryAfter(string? type, string expectedName)
    {
        var expected = Enum.Parse<RateLimitType>(expectedName);
        var report = Read(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(7, type));

        report.Is429.ShouldBeTrue();
        report.LimitType.ShouldBe(expected);
        report.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void Read_TypeOnASuccess_IsIgnored() =>
        Read(HttpStatusCode.OK, [("X-Rate-Limit-Type", "service")]).LimitType.ShouldBe(RateLimitType.None);

    [Fact]
    public void Read_NotLearning_ReadsOnly429s()
    {
        RateLimitHeaderReader.Read(Response(HttpStatusCode.OK, RateHeaders.Plenty), learn: false, _clock).ShouldBeNull();
        RateLimitHeaderReader.Read(Response(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(1)), learn: false, _clock)!.RetryAfter
            .ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Read_NoHeaders_ReportsNothing()
    {
        RateLimitHeaderReader.Read(Response(HttpStatusCode.OK, []), learn: true, _clock).ShouldBeNull();
    }

    [Fact]
    public void Read_OnlyUnrelatedHeaders_ReportsNothing()
    {
        var response = Response(HttpStatusCode.OK, [("Server", "nginx"), ("X-Request-Id", "abc"), ("Retry-After", "5")]);

        RateLimitHeaderReader.Read(response, learn: true, _clock).ShouldBeNull("a 200's headers name no rate-limit family");
    }

    [Fact]
    public void Read_FamilyNamedInLowerCase_StillRead()
    {
        var report = Read(HttpStatusCode.OK, [("x-ratelimit-limit", "60"), ("x-ratelimit-remaining", "59"), ("x-ratelimit-reset", "30")]);

        report.HasFamily.ShouldBeTrue();
        report.Count.ShouldBe(1);
    }

    [Fact]
    public void Read_429WithoutAnyFamily_StillReportsItsRetryAfter()
    {
        var report = Read(HttpStatusCode.TooManyRequests, [("Retry-After", "5")]);

        report.Is429.ShouldBeTrue();
        report.RetryAfter.ShouldBe(TimeSpan.FromSeconds(5));
        report.Count.ShouldBe(0);
    }

    private HeaderReport Read(HttpStatusCode status, (string, string)[] headers) =>
        RateLimitHeaderReader.Read(Response(status, headers), learn: true, _clock)!;

    private static HttpResponseMessage Response(HttpStatusCode status, (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
            response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    private static List<(RateLimitWindowSource, bool, int, double, int, double)> Windows(HeaderReport report) =>
        [.. Enumerable.Range(0, report.Count).Select(i => (report[i].Source, report[i].PerRoute, report[i].Limit, report[i].LengthSeconds, report[i].Used, report[i].ResetSeconds))];
}
