namespace Salvo.Concurrency;

/// <summary>The order in which a fan-out hands back its results.</summary>
public enum ResultOrder
{
    /// <summary>As each item finishes (like <c>asyncio.as_completed</c>): the fastest results arrive first.</summary>
    Completion = 0,

    /// <summary>
    /// In the order the items came from the source. A result that finishes early waits in a reorder window
    /// that holds at most the concurrency bound, so one slow item holds back later ones.
    /// </summary>
    Input = 1,
}
