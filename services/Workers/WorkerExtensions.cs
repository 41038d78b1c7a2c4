using Dapr.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneShotGee.Dapr;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Remote;

namespace OneShotGee.Workers;

public static class WorkerExtensions
{
    /// <summary>
    /// What every worker host needs besides its activities: <see cref="WorkerOptions"/>, the artifact store, the step
    /// executor and <see cref="StepWorker"/>. Register the app's own activities with <c>AddDaprWorkflow</c>.
    /// </summary>
    public static WebApplicationBuilder AddStepWorker(this WebApplicationBuilder builder)
    {
        var options = (builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions()).Validated();
        builder.Services.AddSingleton(options);
        builder.Services.AddDaprClient();
        builder.Services.AddSingleton<IArtifactStore>(services => options.Store == WorkerOptions.DaprStore
            ? new DaprBindingArtifactStore(new ObjectBinding(
                services.GetRequiredService<DaprClient>(), options.Binding, options.BindingType, options.BindingRootPath))
            : new LocalArtifactStore(options.StoreDirectory));
        builder.Services.AddSingleton(services => new StepExecutor(services.GetRequiredService<IArtifactStore>(), options.WorkRoot));
        builder.Services.AddSingleton<StepWorker>();
        return builder;
    }
}
