using System.Net;
using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class ResultTypesTests
{
    [Fact]
    public void ConcurrencyOptions_Defaults_AreDocumentedValues()
    {
        var options = new ConcurrencyOptions();
        options.MaxConcurrency.ShouldBe(ConcurrencyOptions.DefaultMaxConcurrency);
        ConcurrencyOptions.DefaultMaxConcurrency.ShouldBe(16);
        options.Order.ShouldBe(ResultOrder.Completion);
        options.Errors.ShouldBe(ErrorMode.Collect);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ConcurrencyOptions_MaxConcurrencyBelowOne_Throws(int value) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ConcurrencyOptions { MaxConcurrency = value });

    [Fact]
    public void TaskGroupOptions_MaxConcurrency_AcceptsNullAndRejectsZero()
    {
        var options = new TaskGroupOptions { MaxConcurrency = 3 };
        options.MaxConcurrency = null;
        options.MaxConcurrency.ShouldBeNull();
        options.Errors.ShouldBe(ErrorMode.Collect);
        Should.Throw<ArgumentOutOfRangeException>(() => options.MaxConcurrency = 0);
    }

    [Fact]
    public void SelectConcurrentAsync_InvalidArguments_ThrowEagerly()
    {
        IEnumerable<int> source = [1];
        Func<int, CancellationToken, Task<int>> selector = (i, _) => Task.FromResult(i);
        Should.Throw<ArgumentNullException>(() => ((IEnumerable<int>)null!).SelectConcurrentAsync(selector, 1));
        Should.Throw<ArgumentNullException>(() => source.SelectConcurrentAsync((Func<int, CancellationToken, Task<int>>)null!, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => source.SelectConcurrentAsync(selector, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => source.SelectConcurrentAsync(selector, 1, (ResultOrder)7));
        Should.Throw<ArgumentNullException>(() => source.SelectConcurrentAsync(selector, (ConcurrencyOptions)null!));
        Should.Throw<ArgumentOutOfRangeException>(() => source.SelectConcurrentAsync(selector, new ConcurrencyOptions { Errors = (ErrorMode)9 }));
        Should.Throw<ArgumentNullException>(() => ((IAsyncEnumerable<int>)null!).SelectConcurrentAsync(selector, 1));
    }

    [Fact]
    public void ForEachConcurrentAsync_InvalidArguments_ThrowEagerly()
    {
        IEnumerable<int> source = [1];
        Func<int, CancellationToken, Task> body = (_, _) => Task.CompletedTask;
        Should.Throw<ArgumentNullException>(() => ((IEnumerable<int>)null!).ForEachConcurrentAsync(body, 1));
        Should.Throw<ArgumentNullException>(() => source.ForEachConcurrentAsync(null!, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => source.ForEachConcurrentAsync(body, 0));
        Should.Throw<ArgumentNullException>(() => ((IAsyncEnumerable<int>)null!).ForEachConcurrentAsync(body, new ConcurrencyOptions()));
    }

    [Fact]
    public async Task ItemResult_Failure_ValueThrowsWithTheErrorAsInner()
    {
        var boom = new FormatException("bad");
        ItemResult<string, int>? failed = null;
        await foreach (var result in new[] { "x" }.SelectConcurrentAsync<string, int>((_, _) => throw boom, 1))
            failed = result;

        var value = failed!.Value;
        value.IsSuccess.ShouldBeFalse();
        value.Item.ShouldBe("x");
        var thrown = Should.Throw<InvalidOperationException>(() => value.Value);
        thrown.Message.ShouldBe("The item failed; see Error.");
        thrown.InnerException.ShouldBeSameAs(boom);
        value.ToString().ShouldBe("#0 failed: FormatException: bad");
    }

    [Fact]
    public void ConcurrentItemException_WrapsASalvoException_PassesThroughItsCallInformation()
    {
        var inner = new TransientTestException();
        var wrapped = new ConcurrentItemException(4, "item-4", inner);

        wrapped.Index.ShouldBe(4);
        wrapped.Item.ShouldBe("item-4");
        wrapped.InnerException.ShouldBeSameAs(inner);
        wrapped.IsTransient.ShouldBeTrue();
        wrapped.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        wrapped.Method.ShouldBe("GET");
        wrapped.Url.ShouldBe("https://api.example/x");
        wrapped.Message.ShouldContain("Item 4 failed");
        new ConcurrentItemException(0, null, new FormatException()).IsTransient.ShouldBeFalse();
    }

    private sealed class TransientTestException() : SalvoException("unavailable", null, new SalvoErrorContext("GET", "https://api.example/x"))
    {
        public override bool IsTransient => true;

        public override HttpStatusCode? StatusCode => HttpStatusCode.ServiceUnavailable;
    }
}
