using Dapr.Workflow.Abstractions;
using Dapr.Workflow.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OneShotGee.Orchestrator;
using OneShotGee.Workers;

namespace OneShotGee.Services.Tests;

/// <summary>
/// What each app's Dapr workflow worker can run: the workflows and activities its <see cref="IWorkflowsFactory"/> creates by name. Dapr.Workflow's source generator would add every workflow and activity in sight (this test assembly sees
/// all of them); Directory.Build.targets removes it, so the explicit registrations are all there is.
/// </summary>
public sealed class StepWorkerHostTests
{
    [Theory]
    [InlineData(AppIds.DataPrep, new[] { "PrepareDataActivity" })]
    [InlineData(AppIds.Trainer, new[] { "ResolveBaseModelActivity", "TrainModelActivity" })]
    [InlineData(AppIds.Evaluator, new[] { "EvaluateModelActivity", "WriteReportActivity" })]
    public void A_worker_app_registers_exactly_its_activities(string appId, string[] expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddStepWorker(appId);

        var registered = Registered(builder);

        Assert.Empty(registered.Workflows);
        Assert.Equal(expected, registered.Activities.Order());
        Assert.Equal(StepRoute.All.Where(r => r.AppId == appId).Select(r => r.Activity).Order(), registered.Activities.Order());
    }

    [Fact]
    public void On_shutdown_running_steps_drain_before_the_workflow_worker_stops()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddStepWorker(AppIds.Trainer);

        // The host stops hosted services in reverse registration order.
        var hosted = builder.Services.Where(s => s.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)).ToList();
        var drain = hosted.FindIndex(s => s.ImplementationType == typeof(StepDrain));
        var workflowWorker = hosted.FindIndex(s => s.ImplementationType?.FullName == "Dapr.Workflow.Worker.WorkflowWorker");
        Assert.True(drain > workflowWorker && workflowWorker >= 0, $"drain at {drain}, workflow worker at {workflowWorker}");
    }

    [Fact]
    public void The_orchestrator_registers_its_workflows_and_own_activities_only()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddOrchestrator();

        var registered = Registered(builder);

        Assert.Equal(["GeeRunWorkflow", "GeeSweepWorkflow"], registered.Workflows.Order());
        Assert.Equal(["PublishRunCompletedActivity", "RecordRunActivity"], registered.Activities.Order());
    }

    [Fact]
    public void An_unknown_app_id_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => WebApplication.CreateBuilder().AddStepWorker("orchestrator"));
        Assert.Contains("dataprep, trainer, evaluator", error.Message);
    }

    /// <summary>Every workflow and activity type in the solution, by name.</summary>
    static readonly string[] Workflows = ["GeeRunWorkflow", "GeeSweepWorkflow"];
    static readonly string[] Activities = [.. StepRoute.All.Select(r => r.Activity), "RecordRunActivity", "PublishRunCompletedActivity"];

    /// <summary>What the app's workflow worker can create when the sidecar asks for it by name.</summary>
    static (List<string> Workflows, List<string> Activities) Registered(WebApplicationBuilder builder)
    {
        using var app = builder.Build();
        var factory = app.Services.GetRequiredService<IWorkflowsFactory>();
        return ([.. Workflows.Where(name => factory.TryCreateWorkflow(new TaskIdentifier(name), app.Services, out _, out _))],
                [.. Activities.Where(name => factory.TryCreateActivity(new TaskIdentifier(name), app.Services, out _, out _))]);
    }
}
