using System.Globalization;
using System.Net.Http.Headers;

namespace Salvo.RateLimiting;

/// <summary>Reads header values without validation or allocation, and parses the numbers in them.</summary>
internal static class HeaderText
{
    /// <summary>The first value of a header, unparsed.</summary>
    public static bool TryFirst(HttpResponseHeaders headers, string name, out string value)
    {
        if (headers.NonValidated.TryGetValues(name, out var values))
        {
            foreach (var v in values)
            {
                value = v;
                return true;
            }
        }
        value = "";
        return false;
    }

    public static bool Has(HttpResponseHeaders headers, string name) => headers.NonValidated.Contains(name);

    /// <summary>A non-negative integer.</summary>
    public static bool TryInteger(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>A non-negative integer or decimal.</summary>
    public static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Splits off the next comma-separated part.</summary>
    public static bool NextPart(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> part)
    {
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            part = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            if (!part.IsEmpty)
                return true;
        }
        part = [];
        return false;
    }
}
