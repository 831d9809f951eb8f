using Microsoft.AspNetCore.Http;

namespace Salvo.Sandbox.Behaviors;

/// <summary>Reads the behaviours of the endpoint a request was routed to.</summary>
internal static class BehaviorContext
{
    /// <summary>Unknown paths are counted like test helpers: nothing else applies to a 404.</summary>
    public static bool Has(HttpContext context, SandboxBehaviors behavior) =>
        (context.GetEndpoint()?.Metadata.GetMetadata<RouteBehaviors>() ?? RouteBehaviors.Helper).Has(behavior);
}
