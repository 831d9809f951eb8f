using Salvo.Resilience;
using Salvo.Testing;

namespace Salvo.Tests.Resilience;

public class HedgeBudgetTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryTake_NoCallsYet_IsRefused()
    {
        var budget = new HedgeBudget(0.05, TimeSpan.FromSeconds(10), _time);

        budget.HasRoom().ShouldBeFalse();
        budget.TryTake().ShouldBeFalse();
    }

    [Fact]
    public void TryTake_TwentyCallsAtFivePercent_AllowsExactlyOne()
    {
        var budget = new HedgeBudget(0.05, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 19; i++)
            budget.OnCall();
        budget.TryTake().ShouldBeFalse("19 calls earn 0.95 of a hedge");

        budget.OnCall();

        budget.TryTake().ShouldBeTrue();
        budget.TryTake().ShouldBeFalse();
        budget.HasRoom().ShouldBeFalse();
    }

    [Fact]
    public void TryTake_SixtyCallsAtFivePercent_AllowsThreeDespiteRounding()
    {
        var budget = new HedgeBudget(0.05, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 60; i++)
            budget.OnCall();

        var taken = Enumerable.Range(0, 10).Count(_ => budget.TryTake());

        taken.ShouldBe(3, "0.05 × 60 is a hair under 3 in floating point");
    }

    [Fact]
    public void TryTake_AfterTheWindowPasses_SpentHedgesAndOldCallsAreForgotten()
    {
        var budget = new HedgeBudget(0.1, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 10; i++)
            budget.OnCall();
        budget.TryTake().ShouldBeTrue();
        budget.TryTake().ShouldBeFalse();

        _time.Advance(TimeSpan.FromSeconds(10));
        budget.TryTake().ShouldBeFalse("the calls that earned the budget left the window too");
        for (var i = 0; i < 10; i++)
            budget.OnCall();

        budget.TryTake().ShouldBeTrue();
    }

    [Fact]
    public void TryTake_PartOfTheWindowPassed_OnlyTheOlderBucketsExpire()
    {
        var budget = new HedgeBudget(0.1, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 10; i++)
            budget.OnCall();
        _time.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 10; i++)
            budget.OnCall();
        budget.TryTake().ShouldBeTrue();
        budget.TryTake().ShouldBeTrue();
        budget.TryTake().ShouldBeFalse();

        _time.Advance(TimeSpan.FromSeconds(5.5));

        budget.TryTake().ShouldBeFalse("10 calls and 2 hedges remain in the window: already over 0.1");
    }

    [Fact]
    public void TryTake_WhileARefusedCallWaits_OnlyWaitingCallsTakeTheRoom()
    {
        var budget = new HedgeBudget(0.05, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 19; i++)
            budget.OnCall();
        budget.TryTake().ShouldBeFalse("no room yet");
        budget.BeginWait();
        budget.OnCall();

        budget.TryTake().ShouldBeFalse("a call asking for the first time waits behind the one refused before");
        budget.TryTake(waited: true).ShouldBeTrue("the waiting call gets the room");
        budget.EndWait();
        budget.Waiting.ShouldBe(0);
        for (var i = 0; i < 20; i++)
            budget.OnCall();
        budget.TryTake().ShouldBeTrue("with nobody waiting, first asks take room again");
    }
}
