using Salvo.RateLimiting;

namespace Salvo.Tests.RateLimiting;

public class RateLimitWindowTests
{
    [Fact]
    public void ParseMany_EveryUnitAndDecimals_ParsesInOrder()
    {
        var windows = RateLimitWindow.ParseMany(" 20/1s, 100/2m,5/500ms,5000/1h,10000/1d,3/s,10/1.5s ");

        windows.Select(w => (w.Limit, w.Window)).ShouldBe(
        [
            (20, TimeSpan.FromSeconds(1)),
            (100, TimeSpan.FromMinutes(2)),
            (5, TimeSpan.FromMilliseconds(500)),
            (5000, TimeSpan.FromHours(1)),
            (10000, TimeSpan.FromDays(1)),
            (3, TimeSpan.FromSeconds(1)),
            (10, TimeSpan.FromSeconds(1.5)),
        ]);
    }

    [Fact]
    public void ToString_ParsedWindows_RoundTrips()
    {
        var text = string.Join(",", RateLimitWindow.ParseMany("20/1s,100/2m,5/500ms,5000/1h,10000/1d,10/1.5s"));

        text.ShouldBe("20/1s,100/2m,5/500ms,5000/1h,10000/1d,10/1500ms");
        string.Join(",", RateLimitWindow.ParseMany(text)).ShouldBe(text);
    }

    [Fact]
    public void ParseMany_Blank_IsNoWindows() => RateLimitWindow.ParseMany(" , ").ShouldBeEmpty();

    [Theory]
    [InlineData("20")]
    [InlineData("0/1s")]
    [InlineData("-1/1s")]
    [InlineData("x/1s")]
    [InlineData("20/1w")]
    [InlineData("20/0s")]
    [InlineData("20/")]
    [InlineData("/1s")]
    [InlineData("20/367d")]
    [InlineData("99999999999/1s")]
    public void TryParse_Invalid_ReturnsFalseAndParseThrows(string text)
    {
        RateLimitWindow.TryParse(text, out var window).ShouldBeFalse();
        window.ShouldBeNull();
        Should.Throw<FormatException>(() => RateLimitWindow.Parse(text)).Message.ShouldContain(text);
    }

    [Fact]
    public void ParseMany_OnePartInvalid_Throws() =>
        Should.Throw<FormatException>(() => RateLimitWindow.ParseMany("20/1s,lots")).Message.ShouldContain("lots");

    [Fact]
    public void Constructor_OutOfRange_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new RateLimitWindow(0, TimeSpan.FromSeconds(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => new RateLimitWindow(1, TimeSpan.Zero));
        Should.Throw<ArgumentOutOfRangeException>(() => new RateLimitWindow(1, RateLimitWindow.MaxWindow + TimeSpan.FromTicks(1)));
    }
}
