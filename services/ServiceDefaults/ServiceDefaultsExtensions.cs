using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OneShotGee.ServiceDefaults;

/// <summary>
/// What every OneShotGee service has: OpenTelemetry metrics and traces (Prometheus scraping at <c>/metrics</c>; OTLP
/// export only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), a <c>/healthz</c> check that needs no Dapr sidecar,
/// ProblemDetails responses with <see cref="OneShotGee.Core.InvalidInputException"/> mapped to 400 and timeouts to 503,
/// and, when <c>APP_API_TOKEN</c> is set, the app API token check on every other request (<see cref="AppApiTokenMiddleware"/>).
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The meter the services' own instruments are created on.</summary>
    public const string MeterName = "OneShotGee";

    public const string HealthPath = "/healthz", MetricsPath = "/metrics";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<KnownExceptionHandler>();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(MeterName)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsInfrastructure(context.Request.Path))
                .AddHttpClientInstrumentation());
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
        app.MapHealthChecks(HealthPath);
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    internal static bool IsInfrastructure(PathString path) => path.StartsWithSegments(HealthPath) || path.StartsWithSegments(MetricsPath);
}
