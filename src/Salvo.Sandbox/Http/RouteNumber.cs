using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Salvo.Sandbox.Http;

/// <summary>
/// Reads a numeric route value. Routes take plain <c>{n}</c> parameters (no <c>:int</c> constraint) so their
/// templates read cleanly in the stats, and a non-number is a 400 from the endpoint rather than a 404.
/// </summary>
internal static class RouteNumber
{
    public static bool TryGet(HttpContext context, string name, long min, long max, out long value) =>
        long.TryParse(context.Request.RouteValues[name] as string, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        && value >= min && value <= max;
}
