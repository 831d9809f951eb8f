namespace Salvo.Realtime;

/// <summary>One server-sent event with its data decoded.</summary>
/// <typeparam name="T">The type of the data.</typeparam>
/// <param name="Data">The event's <c>data</c>, decoded from JSON.</param>
/// <param name="EventType">The event's <c>event</c> field; <c>message</c> when the server sent none.</param>
/// <param name="Id">The last event id the stream has seen (the one sent as <c>Last-Event-ID</c> on a reconnect), or <see langword="null"/> before any.</param>
public sealed record SseEvent<T>(T Data, string EventType, string? Id);
