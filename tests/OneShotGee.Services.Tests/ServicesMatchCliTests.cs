using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Remote;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.State;
using OneShotGee.Pipeline.Steps;
using OneShotGee.Tests;
using OneShotGee.Workers;

namespace OneShotGee.Services.Tests;

/// <summary>
/// Acceptance: one run config through <c>oneshotgee run</c>'s code (<see cref="GeeRun.Execute"/>) and through the
/// workflow, its activities answered by the real activity instances of three "hosts" (separate work roots) sharing
/// one local artifact store. Real: planning, every step, the store, the cache, the JSON of every message. Not real:
/// Dapr (no sidecar, no actors), so retries and cross-app routing are only checked in <see cref="GeeRunWorkflowTests"/>.
/// The demo model is built once into a demo cache under the test's directory, which both ways use.
/// </summary>
public sealed class ServicesMatchCliTests : IDisposable
{
    readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>The demo model, 16 synthetic prompts, two GEE steps, a greedy paired gap on 8 held-out pairs.</summary>
    static RunConfig TinyRun() => new()
    {
        Model = "demo",
        RunId = "same-run",
        Data = new JsonObject { ["synthetic"] = 16 },
        HeldOut = new JsonObject { ["synthetic"] = 16 },
        Train = new JsonObject { ["effective_batch"] = 4, ["micro_batch"] = 2, ["max_new_tokens"] = 4, ["max_steps"] = 2, ["device"] = "cpu" },
        Variants = [new JsonObject { ["name"] = "gee", ["lambda"] = 3.0 }],
        Evaluation = new JsonObject { ["paired_options"] = new JsonObject { ["greedy"] = true, ["max_new_tokens"] = 4 }, ["device"] = "cpu" },
    };

    string Dir(string name) => Path.Combine(_root.Path, name);

    [Fact]
    public async Task The_workflow_on_three_hosts_gives_the_artifacts_oneshotgee_run_gives()
    {
        var config = TinyRun();
        GeeRun.Execute(config, Dir("cli"), resume: false, demoCacheRoot: Dir("demo-cache"));
        var cli = RunManifest.TryLoad(Dir("cli"))!.Steps.SelectMany(s => s.Outputs!).ToDictionary(a => a.Name);

        var store = new LocalArtifactStore(Dir("store"));
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        StepWorker Host(string name) => new(new StepExecutor(store, Dir(name)), lifetime, NullLogger<StepWorker>.Instance);
        var (dataprep, trainer, evaluator) = (Host("dataprep"), Host("trainer"), Host("evaluator"));
        var events = new RecordingRunEvents();
        var activities = new ActivityDispatcher(
            new PrepareDataActivity(dataprep), new TrainModelActivity(trainer), new EvaluateModelActivity(evaluator), new WriteReportActivity(evaluator),
            new ResolveBaseModelActivity(store, new WorkerOptions { WorkRoot = Dir("trainer"), DemoCache = Dir("demo-cache") }, lifetime, NullLogger<ResolveBaseModelActivity>.Instance),
            new RecordRunActivity(new RunRecorder(new LocalRunStore(Dir("records")), TimeProvider.System)),
            new PublishRunCompletedActivity(events));
        var result = await new GeeRunWorkflow().RunAsync(new RecordingWorkflowContext(activities.CallAsync), new GeeRunInput("same-run", config.ToJson()));
        var services = result.Artifacts.ToDictionary(a => a.Name);

        Assert.Equal(cli.Keys.Append(TrainModelStep.BaseModel).Order(), services.Keys.Order());
        Assert.All(services.Values, a => Assert.StartsWith(store.UriOf("x")[..^1], a.Uri));
        // Bit for bit: the datasets, the base model (through the store), the trained model and both evaluations.
        foreach (var name in new[] { "train-data", "held-out", "model-gee", "eval-baseline", "eval-gee" })
            Assert.True(cli[name].Sha256 == services[name].Sha256, $"{name} differs");
        Assert.Equal(ArtifactRef.Of("demo", DemoModelDirectory()).Sha256, services[TrainModelStep.BaseModel].Sha256);
        Assert.Equal([TrainModelStep.BaseModel, "model-gee"], new[] { "eval-baseline", "eval-gee" }.Select(n => EvaluateModelStep.Read(services[n]).Source));
        // metrics.jsonl also holds wall-clock timings and memory per step; the training curves must match.
        Assert.Equal(Curves(cli["metrics-gee"].LocalPath), Curves(services["metrics-gee"].LocalPath));
        // The report adds its creation time and the training timings: compare what it reports.
        var (cliReport, servicesReport) = (Report(cli["report"]), Report(services["report"]));
        Assert.Equal(cliReport.Models.Select(Comparable), servicesReport.Models.Select(Comparable));
        Assert.Equal(cliReport.TrainingRuns.Select(r => JsonSerializer.Serialize(r.Points)), servicesReport.TrainingRuns.Select(r => JsonSerializer.Serialize(r.Points)));

        var published = Assert.Single(events.Published);
        Assert.Equal(("same-run", RunCompletedEvent.Completed), (published.RunId, published.Status));
        var record = (await new LocalRunStore(Dir("records")).GetAsync("same-run"))!.Record;
        Assert.Equal((RunStatus.Completed, "report"), (record.Status, record.Stage));
        // The record's metrics are every step's manifest metrics; the training and report timings differ between the two runs.
        var cliMetrics = RunManifest.TryLoad(Dir("cli"))!.Steps.SelectMany(s => s.Metrics!.Select(m => ($"{s.Name}.{m.Key}", m.Value))).ToDictionary();
        Assert.Equal(cliMetrics.Keys.Order(), record.Metrics.Keys.Order());
        foreach (var key in new[] { "train-gee.loss", "train-gee.entropy_gap", "evaluate-gee.paired.gap", "report.gee.gap_reduction" })
            Assert.Equal(cliMetrics[key], record.Metrics[key]);
        // Each host only ran its own steps.
        Assert.Equal(["prepare-train-data", "prepare-held-out"], RunManifest.TryLoad(Path.Combine(Dir("dataprep"), "runs", "same-run"))!.Steps.Select(s => s.Name));
        Assert.Equal(["train-gee"], RunManifest.TryLoad(Path.Combine(Dir("trainer"), "runs", "same-run"))!.Steps.Select(s => s.Name));
    }

    string DemoModelDirectory() => GeeRun.ResolveModel("demo", Dir("demo-cache"), null, CancellationToken.None);

    static string Comparable(ModelEvaluation evaluation) => JsonSerializer.Serialize(evaluation, ReportJson.Options);

    static string Curves(string metricsPath) => JsonSerializer.Serialize(TrainingRun.Read("gee", metricsPath).Points);

    static EvaluationReport Report(ArtifactRef report) => ReportJson.Read(Path.Combine(report.LocalPath, ReportWriter.JsonFile));
}

/// <summary>Keeps what would have been published to <c>gee-run-completed</c>.</summary>
sealed class RecordingRunEvents : IRunEvents
{
    public List<RunCompletedEvent> Published { get; } = [];

    public Task PublishCompletedAsync(RunCompletedEvent completed, CancellationToken ct)
    {
        Published.Add(completed);
        return Task.CompletedTask;
    }
}
