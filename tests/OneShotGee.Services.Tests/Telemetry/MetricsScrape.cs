using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OneShotGee.Core.Telemetry;
using OneShotGee.Data;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.State;
using OneShotGee.Pipeline.Steps;
using OneShotGee.ServiceDefaults;
using OneShotGee.Tests;
using OneShotGee.Training;

namespace OneShotGee.Services.Tests.Telemetry;

/// <summary>
/// A service host (AddServiceDefaults + MapDefaultEndpoints on a TestServer) in whose process a short real run goes
/// through <see cref="PipelineRunner"/> — data prep on 16 synthetic prompts, 2 GEE steps on stories260k with a KL anchor β = 0.1 (batch 4,
/// 8 new tokens, a checkpoint at step 2), perplexity of the trained model on 3 texts — while the run recorder moves
/// two runs through their statuses, and data prep reads a small input file under explicitly pushed run labels;
/// then <c>/metrics</c> is scraped once for every test of the class. The spans of the run are collected too.
/// </summary>
public sealed class MetricsScrape : IAsyncLifetime
{
    public const string Collection = "metrics scrape";

    public const string Model = "stories260k";

    readonly TempDirectory root = new();

    public string RunId { get; } = "metrics-" + Guid.NewGuid().ToString("N")[..8];
    public string Text { get; private set; } = "";
    public PrometheusText Series { get; private set; } = PrometheusText.Parse("");
    public string PrepRunId => RunId + "-prep";
    public string RunDirectory => Path.Combine(root.Path, "run");

    /// <summary>Bytes of the checkpoint the training step wrote (the run folder is deleted with the fixture).</summary>
    public long CheckpointBytes { get; private set; }

    /// <summary>Finished "OneShotGee" spans of this fixture's run (its pipeline steps' traces).</summary>
    public IReadOnlyList<Activity> Spans { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();

        var spans = new List<Activity>();
        using (var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GeeTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        })
        {
            ActivitySource.AddActivityListener(listener);
            await Task.Run(RunPipeline);
        }
        var traces = spans.Where(s => s.DisplayName == "pipeline.step" && (string?)s.GetTagItem("run_id") == RunId).Select(s => s.TraceId).ToHashSet();
        Spans = [.. spans.Where(s => traces.Contains(s.TraceId))];
        CheckpointBytes = new DirectoryInfo(Path.Combine(RunDirectory, "train-gee", TrainingCheckpoint.Prefix + "2"))
            .EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        PrepareFromInput();
        await RecordRuns();

        using var client = app.GetTestClient();
        Text = await client.GetStringAsync(ServiceDefaultsExtensions.MetricsPath);
        Series = PrometheusText.Parse(Text);
        await app.StopAsync();
    }

    void RunPipeline()
    {
        var heldOut = Path.Combine(root.Path, "held-out.txt");
        File.WriteAllLines(heldOut, ["Once upon a time there was a little girl.", "He went to the park.", "She liked to play."]);
        IPipelineStep[] steps =
        [
            new PrepareDataStep(TrainModelStep.TrainData, new PrepareOptions("unused.parquet", Synthetic: 16, Seed: 3)),
            new TrainModelStep("gee", new TrainOptions
            {
                ModelPath = "", DataPath = "", OutputPath = "", // the step sets them from its artifacts and folder
                EffectiveBatch = 4, MicroBatch = 2, MaxNewTokens = 8, MaxSteps = 2, SaveSteps = 2, Device = "cpu", LearningRate = 1e-3,
                KlCoef = 0.1,
            }),
            new EvaluateModelStep("gee", "model-gee",
                new EvaluationOptions { Benchmarks = [EvaluationOptions.Perplexity], HeldOutText = heldOut, Device = "cpu" }, heldOut: false),
        ];
        var model = Fixtures.PathOf("models/" + Model);
        new PipelineRunner(RunDirectory, RunId, "sha", model)
            .Run(steps, [ArtifactRef.Of(TrainModelStep.BaseModel, model)], resume: false);
    }

    // Three "he" rows, one "she" row, two neutral rows: balancing keeps one row per group.
    void PrepareFromInput()
    {
        var input = Path.Combine(root.Path, "input.jsonl");
        File.WriteAllLines(input, new[] { "He went home.", "He ate an apple.", "The cat sat.", "He ran fast.", "She sang a song.", "It rained." }
            .Select(text => $"{{\"problem\": \"{text}\"}}"));
        using var labels = RunLabels.Push(new RunLabels(PrepRunId));
        PrepareStep.Run(new PrepareOptions(Path.Combine(root.Path, "prepared.parquet"), InputPath: input, Seed: 1));
    }

    async Task RecordRuns()
    {
        var store = new LocalRunStore(Path.Combine(root.Path, "runs"));
        var recorder = new RunRecorder(store, TimeProvider.System);
        await recorder.CreatedAsync(RunId, "{}", CancellationToken.None);
        await recorder.StepStartedAsync(RunId, "report", CancellationToken.None);
        await recorder.StepCompletedAsync(RunId, ReportStep.Output, [], null, CancellationToken.None);
        await recorder.CreatedAsync(RunId + "-b", "{}", CancellationToken.None);
        await recorder.StepFailedAsync(RunId + "-b", "train-gee", "out of memory", CancellationToken.None);
        await recorder.CreatedAsync(RunId + "-c", "{}", CancellationToken.None);
        RunMeter.Publish(await RunStatusCensus.CountAsync(store, CancellationToken.None));
    }

    public Task DisposeAsync()
    {
        root.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(MetricsScrape.Collection)]
public sealed class MetricsScrapeCollection : ICollectionFixture<MetricsScrape>;
