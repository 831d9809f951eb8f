using Salvo.Pipeline;
using Salvo.Testing;

namespace Salvo.Tests.Pipeline;

public class CallBudgetTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ArmAttempt_ShorterThanTotal_FiresForTheAttempt()
    {
        using var budget = CallBudget.Start(TimeSpan.FromSeconds(30), _time, default);

        budget.ArmAttempt(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(2));

        budget.TimedOut.ShouldBeTrue();
        budget.ExpiredBudget.ShouldBe(TimeoutBudget.Attempt);
    }

    [Fact]
    public void ArmAttempt_LongerThanWhatRemains_FiresForTheTotal()
    {
        using var budget = CallBudget.Start(TimeSpan.FromSeconds(10), _time, default);
        _time.Advance(TimeSpan.FromSeconds(9));

        budget.ArmAttempt(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        budget.TimedOut.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        budget.TimedOut.ShouldBeTrue();
        budget.ExpiredBudget.ShouldBe(TimeoutBudget.Total);
    }

    [Fact]
    public void DisarmAttempt_TimerGoesBackToTheTotal()
    {
        using var budget = CallBudget.Start(TimeSpan.FromSeconds(10), _time, default);
        budget.ArmAttempt(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromMilliseconds(500));

        budget.DisarmAttempt();
        _time.Advance(TimeSpan.FromSeconds(9));
        budget.TimedOut.ShouldBeFalse("the attempt's deadline no longer applies");
        _time.Advance(TimeSpan.FromMilliseconds(500));

        budget.TimedOut.ShouldBeTrue();
        budget.ExpiredBudget.ShouldBe(TimeoutBudget.Total);
    }

    [Fact]
    public async Task CallerCancels_TokenFiresButNotTimedOut()
    {
        using var cts = new CancellationTokenSource();
        using var budget = CallBudget.Start(TimeSpan.FromSeconds(10), _time, cts.Token);

        await cts.CancelAsync();

        budget.Token.IsCancellationRequested.ShouldBeTrue();
        budget.TimedOut.ShouldBeFalse();
    }

    [Fact]
    public void InfiniteTotal_NeverFiresUnlessArmed()
    {
        using var budget = CallBudget.Start(Timeout.InfiniteTimeSpan, _time, default);
        _time.Advance(TimeSpan.FromDays(365));
        budget.TimedOut.ShouldBeFalse();
        budget.Remaining.ShouldBe(Timeout.InfiniteTimeSpan);

        budget.ArmAttempt(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        budget.ExpiredBudget.ShouldBe(TimeoutBudget.Attempt);
        budget.TimedOut.ShouldBeTrue();
    }

    [Fact]
    public void Renew_AfterAttemptExpiry_GivesAFreshTokenInTheRemainingBudget()
    {
        using var budget = CallBudget.Start(TimeSpan.FromSeconds(10), _time, default);
        budget.ArmAttempt(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(2));
        var spent = budget.Token;

        budget.Renew().ShouldBeTrue();

        spent.IsCancellationRequested.ShouldBeTrue();
        budget.Token.IsCancellationRequested.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(7999));
        budget.TimedOut.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        budget.TimedOut.ShouldBeTrue();
        budget.ExpiredBudget.ShouldBe(TimeoutBudget.Total);
    }

    [Fact]
    public void Renew_AfterTotalExpiry_Refuses()
    {
        using var budget = CallBudget.Start(TimeSpan.FromSeconds(1), _time, default);
        _time.Advance(TimeSpan.FromSeconds(1));

        budget.Renew().ShouldBeFalse();
    }
}
