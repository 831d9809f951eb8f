using Salvo.Sandbox;

namespace Salvo.Cli.Bench;

/// <summary>
/// The fastest any client could send N requests under the Sandbox's rate limits: every request at the earliest
/// instant every window admits it, with no latency. A client's efficiency is this time over its own.
/// </summary>
/// <remarks>
/// The Sandbox's windows are fixed and open at the first request admitted after the previous one closed (Riot's
/// rule), so the greedy schedule is exact: fill each window as soon as every other window allows it.
/// </remarks>
internal static class IdealSchedule
{
    /// <summary>The instant the last of <paramref name="requests"/> requests can be sent, from the first at zero.</summary>
    public static TimeSpan LastSendTime(int requests, IReadOnlyList<SandboxRateLimit> windows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, 1);
        var starts = new TimeSpan?[windows.Count];
        var counts = new int[windows.Count];
        var now = TimeSpan.Zero;
        for (var sent = 0; sent < requests; sent++)
        {
            while (true)
            {
                // Close every window whose time is up, then find the earliest instant all admit one more.
                var wait = TimeSpan.Zero;
                for (var i = 0; i < windows.Count; i++)
                {
                    if (starts[i] is { } start && now >= start + windows[i].Window)
                    {
                        starts[i] = null;
                        counts[i] = 0;
                    }
                    if (starts[i] is { } open && counts[i] >= windows[i].Limit)
                        wait = TimeSpan.FromTicks(Math.Max(wait.Ticks, (open + windows[i].Window - now).Ticks));
                }
                if (wait == TimeSpan.Zero)
                    break;
                now += wait;
            }
            for (var i = 0; i < windows.Count; i++)
            {
                starts[i] ??= now;
                counts[i]++;
            }
        }
        return now;
    }
}
