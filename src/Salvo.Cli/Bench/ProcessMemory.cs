using System.Globalization;

namespace Salvo.Cli.Bench;

/// <summary>Resident memory of this process, as the kernel reports it (Linux /proc/self/status).</summary>
internal static class ProcessMemory
{
    /// <summary>Current resident set size in bytes (VmRSS).</summary>
    public static long CurrentRss() => Read("VmRSS:") ?? Environment.WorkingSet;

    /// <summary>Peak resident set size in bytes since the process started (VmHWM).</summary>
    public static long PeakRss() => Read("VmHWM:") ?? System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;

    private static long? Read(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
            return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal))
                continue;
            var kb = line[field.Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }
}
