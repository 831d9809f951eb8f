using System.Diagnostics;
using System.Reflection;
using Salvo.ConcurrencyLimiting;

namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>
/// A theory that runs only against an optimized (Release) build of the library, as CI builds it. In Debug the C# compiler
/// makes every async state machine a class, allocated on each call even when the call completes synchronously (~130 bytes
/// for the handler's), so an allocation bound that holds in Release is meaningless there.
/// </summary>
internal sealed class OptimizedLibraryTheoryAttribute : TheoryAttribute
{
    public OptimizedLibraryTheoryAttribute()
    {
        var debuggable = typeof(ConcurrencyLimitHandler).Assembly.GetCustomAttribute<DebuggableAttribute>();
        if (debuggable?.IsJITOptimizerDisabled == true)
            Skip = "Allocation bounds hold for an optimized build of Salvo only: run with -c Release.";
    }
}
