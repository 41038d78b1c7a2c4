using System.Text.Json;
using System.Text.Json.Serialization;
using Dapr.Client;
using Dapr.Workflow;
using OneShotGee.Dapr;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Orchestrator;

public static class OrchestratorExtensions
{
    /// <summary>
    /// Registers the GEE run workflow and its orchestrator-local activities (the steps run on the worker apps) with the Dapr workflow worker (which keeps retrying quietly
    /// while no sidecar answers), the run store (<c>Runs:Store</c> = <c>local</c> or <c>dapr</c>) and the run API's services.
    /// </summary>
    public static WebApplicationBuilder AddOrchestrator(this WebApplicationBuilder builder)
    {
        var options = (builder.Configuration.GetSection(RunsOptions.Section).Get<RunsOptions>() ?? new RunsOptions()).Validated();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
        builder.Services.AddDaprClient();
        builder.Services.AddDaprWorkflow(workflows =>
        {
            workflows.RegisterWorkflow<GeeRunWorkflow>();
            workflows.RegisterWorkflow<GeeSweepWorkflow>();
            workflows.RegisterActivity<RecordRunActivity>();
            workflows.RegisterActivity<PublishRunCompletedActivity>();
        });
        builder.Services.AddSingleton<IRunStore>(services => options.Store == RunsOptions.DaprStore
            ? new DaprRunStore(services.GetRequiredService<DaprClient>(), options.StateStore)
            : new LocalRunStore(options.RecordsDirectory));
        builder.Services.AddSingleton<RunRecorder>();
        builder.Services.AddSingleton<IRunEvents, DaprRunEvents>();
        builder.Services.AddSingleton<IRunScheduler, DaprRunScheduler>();
        builder.Services.AddSingleton<RunSubmissions>();
        builder.Services.AddHostedService<RunStatusCensus>();
        return builder;
    }
}
