namespace Salvo.Sandbox.Behaviors;

/// <summary>Endpoint metadata telling the behaviour middleware what applies to a route.</summary>
internal sealed record RouteBehaviors(SandboxBehaviors Behaviors)
{
    public static readonly RouteBehaviors Api = new(SandboxBehaviors.Api);
    public static readonly RouteBehaviors Token = new(SandboxBehaviors.Token);
    public static readonly RouteBehaviors Helper = new(SandboxBehaviors.Count);
    public static readonly RouteBehaviors Control = new(SandboxBehaviors.None);

    public bool Has(SandboxBehaviors behavior) => (Behaviors & behavior) == behavior;
}
