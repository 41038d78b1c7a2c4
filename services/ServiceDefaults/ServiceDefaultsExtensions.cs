using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneShotGee.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OneShotGee.ServiceDefaults;

/// <summary>
/// What every OneShotGee service has: OpenTelemetry metrics (device memory gauges included,
/// <see cref="DeviceMemoryGauges"/>) and traces (Prometheus scraping at <c>/metrics</c>; OTLP export only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), a <c>/healthz</c> check that needs no Dapr sidecar and a
/// <c>/healthz/ready</c> one that does (<see cref="DaprSidecarHealthCheck"/>, whose changes are logged once each),
/// ProblemDetails responses with <see cref="OneShotGee.Core.InvalidInputException"/> mapped to 400 and timeouts to 503,
/// and, when <c>APP_API_TOKEN</c> is set, the app API token check on every other request (<see cref="AppApiTokenMiddleware"/>).
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The meter and activity source the libraries and services record on (<see cref="GeeTelemetry"/>).</summary>
    public const string MeterName = GeeTelemetry.Name;

    /// <summary>The ActivitySource name Dapr.Workflow 1.19 starts its workflow and activity spans on.</summary>
    public const string DaprWorkflowSource = "Dapr.Workflow";

    /// <summary>Liveness (<c>/healthz</c>, never needs the sidecar) and readiness (<c>/healthz/ready</c>, the sidecar answers).</summary>
    public const string HealthPath = "/healthz", ReadyPath = "/healthz/ready", MetricsPath = "/metrics";

    public const string LiveTag = "live", ReadyTag = "ready";

    static readonly TimeSpan SidecarProbeTimeout = TimeSpan.FromSeconds(2);

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<KnownExceptionHandler>();
        builder.Services.AddDaprClient();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [LiveTag])
            .AddCheck<DaprSidecarHealthCheck>(DaprSidecarHealthCheck.Name, tags: [ReadyTag], timeout: SidecarProbeTimeout);
        builder.Services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.FromSeconds(2);
            publisher.Period = TimeSpan.FromSeconds(10);
            publisher.Predicate = check => check.Name == DaprSidecarHealthCheck.Name;
        });
        builder.Services.AddSingleton<IHealthCheckPublisher, SidecarStateLog>();
        // Without a sidecar the workflow worker reconnects every few seconds, logging each failure with a stack trace;
        // the sidecar's state is reported by /healthz/ready and SidecarStateLog instead (the health check service itself
        // would log an error on every periodic sidecar probe).
        builder.Logging.AddFilter("Dapr.Workflow.Worker.Grpc.GrpcProtocolHandler", LogLevel.Critical);
        builder.Logging.AddFilter("Grpc.Net.Client.Internal.GrpcCall", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterName)
                .AddInstrumentation(EnableDeviceMemory)
                .AddView(RenamedRuntimeGauges)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(MeterName)
                // Dapr.Workflow's own ActivitySource: the span of each workflow and activity execution, started from the
                // trace context the sidecar sends, so step spans inside an activity join the run's trace.
                .AddSource(DaprWorkflowSource)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsInfrastructure(context.Request.Path))
                .AddHttpClientInstrumentation()
                // The Dapr SDK talks gRPC to its sidecar (workflows, state, bindings); the sidecar carries the W3C
                // trace context on to the app it calls, so a run's spans join up across services.
                .AddGrpcClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// Adds the exception handler and the app API token check and maps <c>/healthz</c> and <c>/metrics</c>; call before the
    /// service's own endpoints and middleware (CloudEvents included), so that no request reaches them unauthenticated.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<AppApiTokenMiddleware>();
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    // The gauges are process-wide (one meter); the first host to build its meter provider creates them.
    static DeviceMemoryGauges EnableDeviceMemory(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DeviceMemoryGauges).FullName!);
        return DeviceMemoryGauges.Enable(message => logger.LogDebug("{DeviceMemory}", message));
    }

    // Prometheus reserves "_count" for histograms and summaries (promtool check metrics rejects these runtime gauges).
    static MetricStreamConfiguration? RenamedRuntimeGauges(Instrument instrument) => instrument.Meter.Name != "System.Runtime" ? null
        : instrument.Name switch
        {
            "dotnet.assembly.count" => new MetricStreamConfiguration { Name = "dotnet.assemblies.loaded" },
            "dotnet.process.cpu.count" => new MetricStreamConfiguration { Name = "dotnet.process.cpus" },
            "dotnet.timer.count" => new MetricStreamConfiguration { Name = "dotnet.timers.active" },
            _ => null,
        };

    internal static bool IsInfrastructure(PathString path) => path.StartsWithSegments(HealthPath) || path.StartsWithSegments(MetricsPath);
}
