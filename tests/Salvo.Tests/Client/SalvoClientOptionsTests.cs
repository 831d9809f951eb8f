using Microsoft.Extensions.Options;
using Salvo.Tests.Support;

namespace Salvo.Tests.Client;

public class SalvoClientOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var o = new SalvoClientOptions();

        o.Timeouts.Total.ShouldBe(TimeSpan.FromSeconds(30));
        o.Timeouts.Attempt.ShouldBe(TimeSpan.FromSeconds(10));
        o.Timeouts.Connect.ShouldBe(TimeSpan.FromSeconds(5));
        o.Pool.MaxConnectionsPerServer.ShouldBe(100);
        o.Pool.PooledConnectionLifetime.ShouldBe(TimeSpan.FromMinutes(5));
        o.Pool.EnableMultipleHttp2Connections.ShouldBeTrue();
        o.Tls.DangerousAcceptAnyServerCertificate.ShouldBeFalse();
        o.MaxResponseSize.ShouldBe(64L * 1024 * 1024);
        SalvoClientOptionsValidator.Instance.Validate(null, o).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Attempt_NotSet_IsClampedToShorterTotal()
    {
        var o = new SalvoClientOptions();
        o.Timeouts.Total = TimeSpan.FromSeconds(3);

        o.Timeouts.Attempt.ShouldBe(TimeSpan.FromSeconds(3));
        SalvoClientOptionsValidator.Instance.Validate(null, o).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Attempt_SetAboveTotal_FailsValidation()
    {
        var o = new SalvoClientOptions();
        o.Timeouts.Total = TimeSpan.FromSeconds(3);
        o.Timeouts.Attempt = TimeSpan.FromSeconds(4);

        var result = SalvoClientOptionsValidator.Instance.Validate(null, o);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Timeouts.Attempt");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var o = new SalvoClientOptions { BaseAddress = new Uri("ftp://files.test/"), MaxResponseSize = 0, MaxRedirects = 0 };
        o.Pool.MaxConnectionsPerServer = 0;
        o.Timeouts.Connect = TimeSpan.Zero;

        var ex = Should.Throw<OptionsValidationException>(() => new SalvoClient(StubHandler.Json("{}"), o));

        ex.Failures.Count().ShouldBe(5);
        ex.Message.ShouldContain("BaseAddress");
        ex.Message.ShouldContain("MaxResponseSize");
        ex.Message.ShouldContain("MaxRedirects");
        ex.Message.ShouldContain("MaxConnectionsPerServer");
        ex.Message.ShouldContain("Timeouts.Connect");
    }

    [Fact]
    public void Constructor_BaseAddressWithCredentials_ValidationMessageIsRedacted()
    {
        var o = new SalvoClientOptions { BaseAddress = new Uri("ftp://me:pw123@files.test/?token=abc") };

        var ex = Should.Throw<OptionsValidationException>(() => new SalvoClient(StubHandler.Json("{}"), o));

        ex.Message.ShouldNotContain("pw123");
        ex.Message.ShouldNotContain("abc");
    }

    [Fact]
    public void Infinite_Budgets_AreValid()
    {
        var o = new SalvoClientOptions();
        o.Timeouts.Total = Timeout.InfiniteTimeSpan;
        o.Timeouts.Attempt = Timeout.InfiniteTimeSpan;

        SalvoClientOptionsValidator.Instance.Validate(null, o).Succeeded.ShouldBeTrue();
    }
}
