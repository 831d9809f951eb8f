namespace Salvo.RateLimiting;

/// <summary>
/// Just enough of RFC 9651 (Structured Field Values) for the IETF rate-limit fields: list members, an item's bare value
/// (string, token or integer) and its parameters. Lenient about whitespace; anything it cannot read is skipped.
/// </summary>
internal static class StructuredFields
{
    /// <summary>Splits off the next top-level list member (commas inside quoted strings do not split).</summary>
    public static bool NextMember(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> member)
    {
        while (!rest.IsEmpty)
        {
            var end = IndexOutsideQuotes(rest, ',');
            member = (end < 0 ? rest : rest[..end]).Trim();
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (!member.IsEmpty)
                return true;
        }
        member = [];
        return false;
    }

    /// <summary>Separates an item's bare value (a quoted string's content, without the quotes) from its parameters.</summary>
    public static bool TrySplitItem(ReadOnlySpan<char> member, out ReadOnlySpan<char> value, out ReadOnlySpan<char> parameters)
    {
        member = member.Trim();
        if (member.StartsWith('"'))
        {
            var close = ClosingQuote(member);
            if (close < 0)
            {
                value = parameters = [];
                return false;
            }
            value = member[1..close];
            parameters = member[(close + 1)..];
            return true;
        }
        var semicolon = member.IndexOf(';');
        value = (semicolon < 0 ? member : member[..semicolon]).Trim();
        parameters = semicolon < 0 ? [] : member[semicolon..];
        return true;
    }

    /// <summary>Finds a parameter (<c>;key=value</c>) by key, case-insensitively; a bare key has an empty value.</summary>
    public static bool TryGetParameter(ReadOnlySpan<char> parameters, ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        var rest = parameters;
        while (!rest.IsEmpty)
        {
            var semicolon = IndexOutsideQuotes(rest, ';');
            ReadOnlySpan<char> part;
            if (semicolon < 0)
            {
                part = rest;
                rest = [];
            }
            else
            {
                part = rest[..semicolon];
                rest = rest[(semicolon + 1)..];
            }
            part = part.Trim();
            if (part.IsEmpty)
                continue;
            var equals = part.IndexOf('=');
            var name = (equals < 0 ? part : part[..equals]).Trim();
            if (name.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                value = equals < 0 ? [] : part[(equals + 1)..].Trim();
                return true;
            }
        }
        value = [];
        return false;
    }

    private static int IndexOutsideQuotes(ReadOnlySpan<char> text, char separator)
    {
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\')
                i++;
            else if (c == '"')
                quoted = !quoted;
            else if (!quoted && c == separator)
                return i;
        }
        return -1;
    }

    private static int ClosingQuote(ReadOnlySpan<char> text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
                i++;
            else if (text[i] == '"')
                return i;
        }
        return -1;
    }
}
