using System.Text.RegularExpressions;

namespace Salvo.Caching;

/// <summary>
/// A freshness lifetime for the GET requests one route (or predicate) matches, e.g. <c>casino/games*</c> for five
/// minutes. Add rules with <see cref="CacheOptions.Add(string, TimeSpan, string[])"/>; the first matching rule wins.
/// </summary>
/// <remarks>
/// <para>A pattern is matched against the request's path relative to the client's base address (or, when the URL is not
/// under it, against the path after the leading <c>/</c>; a pattern starting with <c>/</c> is matched against the whole path);
/// the query is not part of the match but is part of the cache key.
/// <c>*</c> matches any characters, <c>/</c> included; <c>{name}</c> matches one path segment. A pattern equal to the
/// request's <see cref="SalvoRequestSettings.RouteTemplate"/> matches too.</para>
/// <para>A matching rule's <see cref="Ttl"/> is the answer's freshness lifetime, whatever the server's <c>max-age</c> or
/// <c>Expires</c> say (you asked for it); the server's <c>no-store</c> and a <c>Set-Cookie</c> still keep the answer out of
/// the cache, and its validators (<c>ETag</c>, <c>Last-Modified</c>) are still used to revalidate once the lifetime is
/// over. A <see cref="Ttl"/> of zero stores nothing: a way to exclude a route from HTTP-semantics caching.</para>
/// </remarks>
public sealed class CacheRule
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex? _regex;
    private readonly string? _literal; // a pattern with no "{name}" and at most a trailing '*': matched without a regex
    private readonly bool _prefix;

    /// <summary>Creates a rule for a route pattern.</summary>
    /// <param name="pattern">The route pattern, e.g. <c>casino/games*</c> or <c>matches/{id}</c>.</param>
    /// <param name="ttl">How long a matching answer stays fresh; zero stores nothing.</param>
    public CacheRule(string pattern, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Pattern = pattern;
        Ttl = ttl;
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (!pattern.Contains('{', StringComparison.Ordinal) && (star < 0 || star == pattern.Length - 1))
        {
            // The common shapes ("casino/games", "casino/games*") are an ordinal comparison: what the regex would do,
            // as a path has no line break for '.' to refuse (it would be escaped).
            _literal = star < 0 ? pattern : pattern[..star];
            _prefix = star >= 0;
        }
        else
        {
            _regex = Compile(pattern);
        }
    }

    /// <summary>Creates a rule for the requests a predicate accepts.</summary>
    /// <param name="predicate">Decides whether a request matches; must be cheap and thread-safe.</param>
    /// <param name="ttl">How long a matching answer stays fresh; zero stores nothing.</param>
    public CacheRule(Func<HttpRequestMessage, bool> predicate, TimeSpan ttl)
    {
        Predicate = predicate ?? throw new ArgumentNullException(nameof(predicate));
        Ttl = ttl;
    }

    /// <summary>The route pattern, or <see langword="null"/> for a predicate rule.</summary>
    public string? Pattern { get; }

    /// <summary>The predicate, or <see langword="null"/> for a pattern rule.</summary>
    public Func<HttpRequestMessage, bool>? Predicate { get; }

    /// <summary>How long a matching answer stays fresh; zero stores nothing.</summary>
    public TimeSpan Ttl { get; }

    /// <summary>Tags given to every answer this rule stores, for <see cref="ResponseCache.InvalidateTagAsync"/>.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Tags { get; } = new List<string>();

    /// <param name="request">The request.</param>
    /// <param name="absolutePath">The request's path, escaped, with its leading <c>/</c>.</param>
    /// <param name="relativePath">The path relative to the client's base address (see the remarks).</param>
    internal bool Matches(HttpRequestMessage request, ReadOnlySpan<char> absolutePath, ReadOnlySpan<char> relativePath)
    {
        if (Predicate is not null)
            return Predicate(request);
        if (request.GetSalvoSettings()?.RouteTemplate is { } template && template.AsSpan().TrimStart('/').SequenceEqual(Pattern.AsSpan().TrimStart('/')))
            return true;
        var path = Pattern![0] == '/' ? absolutePath : relativePath;
        if (_literal is not null)
            return _prefix ? path.StartsWith(_literal, StringComparison.Ordinal) : path.SequenceEqual(_literal);
        return _regex!.IsMatch(path);
    }

    private static Regex Compile(string pattern)
    {
        var text = Regex.Escape(pattern);
        text = text.Replace(@"\*", ".*", StringComparison.Ordinal);
        text = Regex.Replace(text, @"\\\{[^}/]+}", "[^/]+");
        return new Regex("^" + text + "$", RegexOptions.CultureInvariant, MatchTimeout);
    }
}
