using Dapr.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OneShotGee.ServiceDefaults;

/// <summary>
/// Readiness: is the Dapr sidecar up with its components loaded (<c>GET /v1.0/healthz/outbound</c>, which unlike
/// <c>/v1.0/healthz</c> does not wait for this app)? The app runs without it, but workflows, state, pub/sub and the
/// artifact binding wait for it.
/// </summary>
sealed class DaprSidecarHealthCheck(DaprClient dapr) : IHealthCheck
{
    public const string Name = "dapr-sidecar";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct) =>
        await dapr.CheckOutboundHealthAsync(ct)
            ? HealthCheckResult.Healthy("the Dapr sidecar answers")
            : HealthCheckResult.Unhealthy(
                "no answer at DAPR_HTTP_ENDPOINT or localhost:DAPR_HTTP_PORT (3500 by default); workflows, state, pub/sub and artifact bindings wait for it");
}
