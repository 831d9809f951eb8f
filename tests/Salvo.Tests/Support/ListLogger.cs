using Microsoft.Extensions.Logging;

namespace Salvo.Tests.Support;

/// <summary>Collects every formatted log line (and exception text) for assertions.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public List<string> Lines { get; } = [];

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner.Lines)
                owner.Lines.Add($"{logLevel}:{eventId.Id}:{formatter(state, exception)} {exception}");
        }
    }
}
