using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace OneShotGee.ServiceDefaults;

/// <summary>
/// Receives the periodic <see cref="DaprSidecarHealthCheck"/> results and logs only changes: one warning when the sidecar
/// stops answering (or does not answer at start), one information line when it answers again.
/// </summary>
sealed class SidecarStateLog(ILogger<SidecarStateLog> logger) : IHealthCheckPublisher
{
    HealthStatus? _last;

    public Task PublishAsync(HealthReport report, CancellationToken ct)
    {
        if (!report.Entries.TryGetValue(DaprSidecarHealthCheck.Name, out var entry) || entry.Status == _last) return Task.CompletedTask;
        if (entry.Status == HealthStatus.Healthy) logger.LogInformation("Dapr sidecar reachable");
        else logger.LogWarning("Dapr sidecar unreachable: {Reason}. /healthz/ready answers 503 until it is back", entry.Description);
        _last = entry.Status;
        return Task.CompletedTask;
    }
}
