using Dapr.Client;
using Dapr.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneShotGee.Dapr;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Remote;
using OneShotGee.ServiceDefaults;

namespace OneShotGee.Workers;

/// <summary>
/// A worker app (<see cref="AppIds.Workers"/>): exactly the activities <see cref="StepRoute.All"/> places on it, registered
/// with the Dapr workflow worker, and its steps over HTTP (<see cref="StepEndpoints"/>).
/// </summary>
public static class StepWorkerHost
{
    static readonly Dictionary<string, Action<WorkflowRuntimeOptions>> Registrations = new()
    {
        [nameof(ResolveBaseModelActivity)] = workflows => workflows.RegisterActivity<ResolveBaseModelActivity>(),
        [nameof(PrepareDataActivity)] = workflows => workflows.RegisterActivity<PrepareDataActivity>(),
        [nameof(TrainModelActivity)] = workflows => workflows.RegisterActivity<TrainModelActivity>(),
        [nameof(EvaluateModelActivity)] = workflows => workflows.RegisterActivity<EvaluateModelActivity>(),
        [nameof(WriteReportActivity)] = workflows => workflows.RegisterActivity<WriteReportActivity>(),
    };

    /// <summary>The whole Program.cs of a worker app.</summary>
    public static void Run(string[] args, string appId)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddStepWorker(appId);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapStepWorker(appId);
        app.Run();
    }

    /// <summary>
    /// <see cref="WorkerOptions"/>, the artifact store, the step executor, <see cref="StepWorker"/> and the app's activities.
    /// </summary>
    public static WebApplicationBuilder AddStepWorker(this WebApplicationBuilder builder, string appId)
    {
        var routes = RoutesOf(appId);
        var options = (builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions()).Validated();
        builder.Services.AddSingleton(options);
        builder.Services.AddDaprClient();
        builder.Services.AddSingleton<IArtifactStore>(services => options.Store == WorkerOptions.DaprStore
            ? new DaprBindingArtifactStore(new ObjectBinding(
                services.GetRequiredService<DaprClient>(), options.Binding, options.BindingType, options.BindingRootPath))
            : new LocalArtifactStore(options.StoreDirectory));
        builder.Services.AddSingleton(services => new StepExecutor(services.GetRequiredService<IArtifactStore>(), options.WorkRoot));
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<StepWorker>(services, options.MaxConcurrentSteps));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddDaprWorkflow(workflows =>
        {
            foreach (var route in routes) Registrations[route.Activity](workflows);
        });
        // Hosted services stop in reverse order: the drain runs before the workflow worker stops, so a cancelled
        // step's outcome still reaches the sidecar and its retry is scheduled at once.
        builder.Services.AddHostedService<StepDrain>();
        return builder;
    }

    /// <summary>Maps <c>POST /steps/{activity}</c> for the app's pipeline steps; call after <c>MapDefaultEndpoints</c>.</summary>
    public static WebApplication MapStepWorker(this WebApplication app, string appId)
    {
        app.MapStepEndpoints([.. StepRoute.Steps.Where(r => r.AppId == appId).Select(r => r.Activity)]);
        return app;
    }

    static List<StepRoute> RoutesOf(string appId) => AppIds.Workers.Contains(appId)
        ? [.. StepRoute.All.Where(r => r.AppId == appId)]
        : throw new ArgumentOutOfRangeException(nameof(appId), appId, $"not a worker app; use one of {string.Join(", ", AppIds.Workers)}");
}
