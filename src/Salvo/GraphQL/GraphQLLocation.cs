namespace Salvo.GraphQL;

/// <summary>Where in the GraphQL document an error points (1-based, as the server reports it).</summary>
/// <param name="Line">The line.</param>
/// <param name="Column">The column.</param>
public sealed record GraphQLLocation(int Line, int Column);
