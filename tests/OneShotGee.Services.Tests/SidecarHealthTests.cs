using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OneShotGee.ServiceDefaults;

namespace OneShotGee.Services.Tests;

/// <summary>
/// Liveness and readiness of ServiceDefaults on the orchestrator's TestServer. The "sidecar" is either a closed port or a
/// Kestrel app answering daprd's <c>/v1.0/healthz/outbound</c> with 204, as daprd does once its components are loaded.
/// </summary>
public sealed class SidecarHealthTests
{
    static async Task<JsonElement> Json(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static string ClosedPortEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    [Fact]
    public async Task Without_a_sidecar_the_app_is_live_but_not_ready_and_says_why()
    {
        await using var host = await OrchestratorHost.StartAsync(new Dictionary<string, string?> { ["DAPR_HTTP_ENDPOINT"] = ClosedPortEndpoint() });

        var live = await host.Client.GetAsync("/healthz");
        var ready = await host.Client.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var sidecar = (await Json(ready)).GetProperty("checks").GetProperty("dapr-sidecar");
        Assert.Equal("Unhealthy", sidecar.GetProperty("status").GetString());
        Assert.Contains("DAPR_HTTP_ENDPOINT", sidecar.GetProperty("description").GetString());
    }

    [Fact]
    public async Task With_a_sidecar_that_answers_the_app_is_ready()
    {
        var sidecar = WebApplication.CreateBuilder();
        sidecar.WebHost.UseUrls("http://127.0.0.1:0");
        await using var daprd = sidecar.Build();
        daprd.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());
        await daprd.StartAsync();
        var endpoint = daprd.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        await using var host = await OrchestratorHost.StartAsync(new Dictionary<string, string?> { ["DAPR_HTTP_ENDPOINT"] = endpoint });

        var ready = await host.Client.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", (await Json(ready)).GetProperty("checks").GetProperty("dapr-sidecar").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_changes_of_the_sidecar_state_are_logged()
    {
        var logger = new RecordingLogger<SidecarStateLog>();
        var log = new SidecarStateLog(logger);

        foreach (var status in new[] { HealthStatus.Unhealthy, HealthStatus.Unhealthy, HealthStatus.Unhealthy, HealthStatus.Healthy, HealthStatus.Healthy, HealthStatus.Unhealthy })
            await log.PublishAsync(Report(status), CancellationToken.None);

        Assert.Equal([LogLevel.Warning, LogLevel.Information, LogLevel.Warning], logger.Levels);
    }

    static HealthReport Report(HealthStatus sidecar) => new(
        new Dictionary<string, HealthReportEntry> { ["dapr-sidecar"] = new(sidecar, "why", TimeSpan.Zero, null, null) }, TimeSpan.Zero);
}
