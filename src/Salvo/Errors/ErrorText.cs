namespace Salvo;

/// <summary>Shared wording for exception messages, so every error names the call the same way.</summary>
internal static class ErrorText
{
    public static string Call(SalvoErrorContext? context) => context switch
    {
        null => "The call",
        { Method: null, Url: null } => "The call",
        _ => $"{context.Method} {context.Url}",
    };

    public static string Attempts(SalvoErrorContext? context) =>
        context is { Attempts: > 1 } c ? $" after {c.Attempts} attempts" : "";
}
