using Dapr.Workflow;
using OneShotGee.ServiceDefaults;
using OneShotGee.Workers;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStepWorker();
builder.Services.AddDaprWorkflow(workflows =>
{
    workflows.RegisterActivity<ResolveBaseModelActivity>();
    workflows.RegisterActivity<TrainModelActivity>();
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapStepEndpoints(nameof(TrainModelActivity));
app.Run();
