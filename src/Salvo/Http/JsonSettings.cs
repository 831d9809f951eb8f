using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Salvo.Http;

/// <summary>Prepares the client's JSON options once, so per-call type lookups hit the options' cache.</summary>
internal static class JsonSettings
{
    /// <summary>
    /// Copies the user's options (theirs stay mutable), adds the reflection resolver when none is set and
    /// reflection is allowed, and locks the copy: only locked options cache their type metadata.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only used when the app allows reflection-based serialization (JsonSerializer.IsReflectionEnabledByDefault); AOT users pass a JsonSerializerContext.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Same as above.")]
    public static JsonSerializerOptions Freeze(JsonSerializerOptions options)
    {
        var copy = new JsonSerializerOptions(options);
        if (copy.TypeInfoResolver is null && JsonSerializer.IsReflectionEnabledByDefault)
            copy.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        copy.MakeReadOnly();
        return copy;
    }
}
