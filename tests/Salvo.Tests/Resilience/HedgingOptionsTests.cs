using Microsoft.Extensions.Options;
using Salvo.Resilience;

namespace Salvo.Tests.Resilience;

public class HedgingOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedConstantsAndValid()
    {
        var options = new HedgingOptions();

        options.Enabled.ShouldBeFalse();
        options.Delay.ShouldBe(HedgingOptions.DefaultDelay);
        options.Percentile.ShouldBe(HedgingOptions.DefaultPercentile);
        options.WindowSize.ShouldBe(HedgingOptions.DefaultWindowSize);
        options.BudgetRatio.ShouldBe(HedgingOptions.DefaultBudgetRatio);
        options.BudgetRatio.ShouldBe(0.05);
        options.BudgetWindow.ShouldBe(HedgingOptions.DefaultBudgetWindow);
        options.MaxHosts.ShouldBe(HedgingOptions.DefaultMaxHosts);
        HedgingOptionsValidator.Instance.Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new HedgingOptions
        {
            Delay = TimeSpan.Zero,
            Percentile = 1,
            WindowSize = HedgingOptions.MinimumSamples - 1,
            BudgetRatio = 0,
            BudgetWindow = TimeSpan.FromMilliseconds(50),
            MaxHosts = 0,
        };

        var ex = Should.Throw<OptionsValidationException>(() => new HedgingHandler(options));

        ex.Failures.Count().ShouldBe(6);
        ex.Message.ShouldContain("Delay must be positive");
        ex.Message.ShouldContain("Percentile");
        ex.Message.ShouldContain("WindowSize must be between 20");
        ex.Message.ShouldContain("BudgetRatio");
        ex.Message.ShouldContain("BudgetWindow must be at least 100 ms");
        ex.Message.ShouldContain("MaxHosts");
    }

    [Fact]
    public void Validate_NoPercentile_IsValid() =>
        HedgingOptionsValidator.Instance.Validate(null, new HedgingOptions { Percentile = null }).Succeeded.ShouldBeTrue();
}
