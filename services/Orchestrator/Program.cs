using OneShotGee.Orchestrator;
using OneShotGee.Orchestrator.Apis;
using OneShotGee.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrchestrator();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRunsApi();
app.MapSweepsApi();
app.Run();
