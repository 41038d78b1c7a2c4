using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OneShotGee.Orchestrator;
using OneShotGee.Orchestrator.Apis;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.ServiceDefaults;

namespace OneShotGee.Services.Tests;

/// <summary>
/// The orchestrator as Program.cs builds it, on a TestServer and without a Dapr sidecar (the workflow worker keeps
/// failing to connect in the background). Only the workflow scheduler is replaced: it records what it was asked to start.
/// </summary>
sealed class OrchestratorHost : IAsyncDisposable
{
    readonly WebApplication app;
    readonly TempDirectory root;

    public RecordingScheduler Scheduler { get; }
    public HttpClient Client { get; }

    public T Services<T>() where T : notnull => app.Services.GetRequiredService<T>();

    OrchestratorHost(WebApplication app, TempDirectory root, RecordingScheduler scheduler)
    {
        this.app = app;
        this.root = root;
        Scheduler = scheduler;
        Client = app.GetTestClient();
    }

    /// <param name="settings">Configuration on top of the defaults, as environment variables or appsettings would give it.</param>
    public static async Task<OrchestratorHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var host = new TempDirectory();
        builder.Configuration["Runs:Root"] = host.Path;
        // The runs-in-status gauge is process-wide: only the tests that count runs may publish to it.
        builder.Configuration["Runs:CensusInterval"] = "1.00:00:00";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.Configuration[key] = value;
        builder.AddServiceDefaults();
        builder.AddOrchestrator();
        var scheduler = new RecordingScheduler();
        builder.Services.AddSingleton<IRunScheduler>(scheduler);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapRunsApi();
        app.MapSweepsApi();
        await app.StartAsync();
        return new OrchestratorHost(app, host, scheduler);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        root.Dispose();
    }

    /// <summary>Starts each run id once, as the Dapr scheduler does with existing instance ids.</summary>
    public sealed class RecordingScheduler : IRunScheduler
    {
        public ConcurrentDictionary<string, GeeRunInput> Started { get; } = new();
        public ConcurrentDictionary<string, GeeSweepInput> SweepsStarted { get; } = new();

        /// <summary>Behave like <c>DaprRunScheduler</c> when the sidecar does not answer.</summary>
        public bool SidecarDown { get; set; }

        public Task<bool> TryScheduleAsync(GeeRunInput input, CancellationToken ct) => SidecarDown
            ? throw new TimeoutException($"the Dapr sidecar did not answer while scheduling run '{input.RunId}'")
            : Task.FromResult(Started.TryAdd(input.RunId, input));

        public Task<bool> TryScheduleSweepAsync(GeeSweepInput input, CancellationToken ct) => SidecarDown
            ? throw new TimeoutException($"the Dapr sidecar did not answer while scheduling sweep '{input.SweepId}'")
            : Task.FromResult(SweepsStarted.TryAdd(input.SweepId, input));
    }
}
