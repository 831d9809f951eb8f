using Microsoft.Extensions.Options;
using Salvo.Resilience;

namespace Salvo.Tests.Resilience;

public class CircuitBreakerOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedConstantsAndValid()
    {
        var options = new CircuitBreakerOptions();

        options.Enabled.ShouldBeTrue();
        options.FailureRatio.ShouldBe(CircuitBreakerOptions.DefaultFailureRatio);
        options.MinimumThroughput.ShouldBe(CircuitBreakerOptions.DefaultMinimumThroughput);
        options.SamplingDuration.ShouldBe(CircuitBreakerOptions.DefaultSamplingDuration);
        options.BreakDuration.ShouldBe(CircuitBreakerOptions.DefaultBreakDuration);
        options.MaxHosts.ShouldBe(CircuitBreakerOptions.DefaultMaxHosts);
        CircuitBreakerOptionsValidator.Instance.Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new CircuitBreakerOptions
        {
            FailureRatio = 0,
            MinimumThroughput = 1,
            SamplingDuration = TimeSpan.FromMilliseconds(499),
            BreakDuration = TimeSpan.FromDays(2),
            MaxHosts = 0,
        };

        var ex = Should.Throw<OptionsValidationException>(() => new CircuitBreakerHandler(options));

        ex.Failures.Count().ShouldBe(5);
        ex.Message.ShouldContain("FailureRatio");
        ex.Message.ShouldContain("MinimumThroughput");
        ex.Message.ShouldContain("SamplingDuration must be at least 500 ms (got 499 ms)");
        ex.Message.ShouldContain("BreakDuration");
        ex.Message.ShouldContain("MaxHosts");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(1.01)]
    [InlineData(-0.5)]
    public void Validate_FailureRatioOutOfRange_Fails(double ratio) =>
        CircuitBreakerOptionsValidator.Instance.Validate(null, new CircuitBreakerOptions { FailureRatio = ratio }).Failed.ShouldBeTrue();

    [Fact]
    public async Task Constructor_OptionsChangedLater_KeepsTheValuesItWasGiven()
    {
        var options = new CircuitBreakerOptions { MinimumThroughput = 2, FailureRatio = 1 };
        var handler = new CircuitBreakerHandler(options) { InnerHandler = new Support.StubHandler(_ => new HttpResponseMessage(System.Net.HttpStatusCode.BadGateway)) };
        options.Enabled = false;
        options.MinimumThroughput = 100;
        using var invoker = new HttpMessageInvoker(handler);

        for (var i = 0; i < 2; i++)
            (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://a.test/"), CancellationToken.None)).Dispose();

        await Should.ThrowAsync<SalvoCircuitOpenException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://a.test/"), CancellationToken.None));
    }
}
