using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Remote;
using OneShotGee.Pipeline.Runs;
using OneShotGee.ServiceDefaults;
using OneShotGee.Tests;
using OneShotGee.Workers;

namespace OneShotGee.Services.Tests;

/// <summary>Steps executed on "hosts" (separate work roots) that share a local artifact store; the worker's HTTP endpoint.</summary>
public sealed class StepExecutorTests : IDisposable
{
    readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    static readonly string Config = new RunConfig
    {
        Model = "demo",
        Data = new JsonObject { ["synthetic"] = 16 },
        Variants = [new JsonObject { ["name"] = "gee" }],
    }.ToJson();

    string Dir(string name) => Path.Combine(_root.Path, name);

    static string Sha256Of(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    [Fact]
    public async Task Outputs_are_stored_under_the_run_and_a_retry_neither_reruns_nor_resends()
    {
        var store = new LocalArtifactStore(Dir("store"));
        var host = new StepExecutor(store, Dir("dataprep"));
        var request = new StepRequest("r1", Config, "prepare-train-data", []);

        var output = Assert.Single((await host.ExecuteAsync(request)).Outputs);
        var stored = Path.Combine(Dir("store"), "runs", "r1", "train-data", "train-data.parquet");
        Assert.Equal(("train-data", store.UriOf("runs/r1/train-data/train-data.parquet")), (output.Name, output.Uri));
        Assert.Equal((new FileInfo(stored).Length, Sha256Of(stored)), (output.Size, output.Sha256));
        var written = File.GetLastWriteTimeUtc(stored);
        var started = RunManifest.TryLoad(Path.Combine(Dir("dataprep"), "runs", "r1"))!.Step("prepare-train-data")!.Started;

        Assert.Equal(output, Assert.Single((await host.ExecuteAsync(request)).Outputs));
        Assert.Equal(written, File.GetLastWriteTimeUtc(stored));
        Assert.Equal(started, RunManifest.TryLoad(Path.Combine(Dir("dataprep"), "runs", "r1"))!.Step("prepare-train-data")!.Started);
    }

    [Fact]
    public async Task Two_deliveries_of_one_step_at_once_run_it_once()
    {
        var store = new LocalArtifactStore(Dir("store"));
        var host = new StepExecutor(store, Dir("dataprep"));
        var request = new StepRequest("r1", Config, "prepare-train-data", []);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var progress = new SynchronousProgress<string>(lines.Enqueue);

        var outputs = await Task.WhenAll(
            Task.Run(() => host.ExecuteAsync(request, progress)), Task.Run(() => host.ExecuteAsync(request, progress)));

        Assert.Equal(outputs[0].Outputs, outputs[1].Outputs);
        Assert.Single(lines, l => l == "prepare-train-data: started");
        Assert.Single(lines, l => l == "prepare-train-data: already completed, skipped");
    }


    [Fact]
    public async Task Corrupted_store_content_is_refused_on_another_host_and_leaves_nothing_there()
    {
        var store = new LocalArtifactStore(Dir("store"));
        var model = ArtifactRef.Of("base-model", Fixtures.PathOf("models/stories260k"));
        var stored = await store.PutOnceAsync("models/m", model, Dir("tmp"));
        File.AppendAllText(Path.Combine(Dir("store"), "models", "m", "config.json"), " ");

        var evaluator = new StepExecutor(store, Dir("evaluator"));
        await Assert.ThrowsAsync<ArtifactIntegrityException>(() =>
            evaluator.ExecuteAsync(new StepRequest("r1", Config, "evaluate-baseline", [stored])));

        Assert.False(Directory.Exists(Path.Combine(Dir("evaluator"), "cache", model.Sha256)));
        Assert.Null(RunManifest.TryLoad(Path.Combine(Dir("evaluator"), "runs", "r1"))?.Step("evaluate-baseline"));
    }

    [Fact]
    public async Task An_input_neither_stored_nor_here_and_an_unknown_step_are_named()
    {
        var host = new StepExecutor(new LocalArtifactStore(Dir("store")), Dir("host"));
        var elsewhere = new ArtifactRef("base-model", "dapr://artifacts/models/m/", 1, new string('a', 64));

        var missing = await Assert.ThrowsAsync<InvalidInputException>(() =>
            host.ExecuteAsync(new StepRequest("r1", Config, "evaluate-baseline", [elsewhere])));
        Assert.Contains("'base-model' at 'dapr://artifacts/models/m/'", missing.Message);

        var unknown = await Assert.ThrowsAsync<InvalidInputException>(() => host.ExecuteAsync(new StepRequest("r1", Config, "train-em", [])));
        Assert.Contains("no step 'train-em'; steps: prepare-train-data, evaluate-baseline, train-gee", unknown.Message);
    }

    [Fact]
    public async Task An_activity_refuses_a_step_of_another_kind()
    {
        var worker = Worker(new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance));
        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new TrainModelActivity(worker).RunAsync(new TestActivityContext("TrainModelActivity"), new StepRequest("r1", Config, "prepare-train-data", [])));
        Assert.Contains("runs in PrepareDataActivity on app 'dataprep', not in TrainModelActivity", error.Message);
    }

    [Fact]
    public async Task A_stopping_app_cancels_the_step_before_it_runs()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        lifetime.StopApplication();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new PrepareDataActivity(Worker(lifetime)).RunAsync(new TestActivityContext("PrepareDataActivity"), new StepRequest("r1", Config, "prepare-train-data", [])));
        Assert.Null(RunManifest.TryLoad(Path.Combine(Dir("host"), "runs", "r1"))?.Step("prepare-train-data"));
    }

    [Fact]
    public async Task Draining_waits_for_the_running_steps()
    {
        var worker = Worker(new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance));
        var step = worker.RunAsync("PrepareDataActivity", new StepRequest("r1", Config, "prepare-train-data", []), CancellationToken.None);

        await worker.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        // Drained: the step's work is done and stored (the caller's task completes right after).
        Assert.Equal(StepStatus.Completed, RunManifest.TryLoad(Path.Combine(Dir("host"), "runs", "r1"))!.Step("prepare-train-data")!.Status);
        Assert.Single(Directory.GetFiles(Path.Combine(Dir("store"), "runs", "r1", "train-data")), f => f.EndsWith(".parquet"));
        await step;
        Assert.Empty(worker.Running);
    }

    [Theory]
    [InlineData("Store", "s3", "Worker:Store is 's3'")]
    [InlineData("ShutdownTimeout", "00:00:00", "Worker:ShutdownTimeout is 00:00:00")]
    public void Bad_worker_settings_are_named(string key, string value, string problem)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration[$"Worker:{key}"] = value;
        var error = Assert.Throws<InvalidInputException>(() => builder.AddStepWorker("trainer"));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public async Task Steps_beyond_the_apps_limit_wait_for_a_running_one_to_end()
    {
        var logger = new RecordingLogger<StepWorker>();
        var worker = new StepWorker(new StepExecutor(new LocalArtifactStore(Dir("store")), Dir("host")),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), logger, maxConcurrentSteps: 1);

        // The first call returns once its step runs in the background, holding the app's only turn.
        var first = worker.RunAsync("PrepareDataActivity", new StepRequest("r1", Config, "prepare-train-data", []), CancellationToken.None);
        var second = worker.RunAsync("PrepareDataActivity", new StepRequest("r2", Config, "prepare-train-data", []), CancellationToken.None);
        await Task.WhenAll(first, second);

        var steps = logger.Messages.Where(m => m.EndsWith("prepare-train-data: started") || m.EndsWith("prepare-train-data: completed")).ToList();
        Assert.Equal(4, steps.Count);
        Assert.Equal(["r1 prepare-train-data: started", "r1 prepare-train-data: completed", "r2 prepare-train-data: started", "r2 prepare-train-data: completed"], steps);
        Assert.Contains("r2 prepare-train-data: waiting for a running step to end (r1/prepare-train-data)", logger.Messages);
        Assert.Contains("r1 prepare-train-data: running in PrepareDataActivity (task direct)", logger.Messages);
    }

    [Fact]
    public async Task An_activity_logs_the_task_execution_key_dapr_gave_it()
    {
        var logger = new RecordingLogger<StepWorker>();
        var worker = new StepWorker(new StepExecutor(new LocalArtifactStore(Dir("store")), Dir("host")),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), logger);

        await new PrepareDataActivity(worker).RunAsync(new TestActivityContext("PrepareDataActivity"), new StepRequest("r1", Config, "prepare-train-data", []));

        Assert.Contains("r1 prepare-train-data: running in PrepareDataActivity (task run-1:PrepareDataActivity:0)", logger.Messages);
    }

    StepWorker Worker(IHostApplicationLifetime lifetime) =>
        new(new StepExecutor(new LocalArtifactStore(Dir("store")), Dir("host")), lifetime, NullLogger<StepWorker>.Instance);

    async Task<WebApplication> StartDataPrepAsync(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["Worker:WorkRoot"] = Dir("work");
        builder.Configuration["Worker:StoreDirectory"] = Dir("store");
        foreach (var (key, value) in settings) builder.Configuration[key] = value;
        builder.AddServiceDefaults();
        builder.AddStepWorker(AppIds.DataPrep);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapStepWorker(AppIds.DataPrep);
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task The_worker_endpoint_reads_only_under_its_allowed_roots()
    {
        var data = Directory.CreateDirectory(Dir("datasets")).FullName;
        var rows = Path.Combine(data, "rows.jsonl");
        File.WriteAllLines(rows, ["{\"question\": \"He paid 3 dollars and she paid 4.\"}", "{\"question\": \"She ran 5 miles.\"}"]);
        static string WithInput(string path) => new RunConfig
        {
            Model = "demo",
            Data = new JsonObject { ["input_path"] = path, ["text_column"] = "question", ["synthetic"] = null },
            Variants = [new JsonObject { ["name"] = "gee" }],
        }.ToJson();
        await using var app = await StartDataPrepAsync(("Worker:AllowedDataRoots:0", data));
        using var client = app.GetTestClient();

        var outside = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r1", WithInput("/etc/passwd"), "prepare-train-data", []));
        var sneaky = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r1", WithInput(Path.Combine(data, "..", "x.jsonl")), "prepare-train-data", []));
        var input = await client.PostAsJsonAsync("/steps/PrepareDataActivity",
            new StepRequest("r1", Config, "prepare-train-data", [new ArtifactRef("base-model", "file:///etc/", 1, new string('a', 64))]));
        var inside = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r2", WithInput(rows), "prepare-train-data", []));

        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("data.input_path '/etc/passwd'", await outside.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, sneaky.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, input.StatusCode);
        Assert.Contains("input artifact 'base-model' 'file:///etc/'", await input.Content.ReadAsStringAsync());
        Assert.True(inside.StatusCode == HttpStatusCode.OK, await inside.Content.ReadAsStringAsync());
        Assert.False(Directory.Exists(Path.Combine(Dir("work"), "runs", "r1")));
    }

    [Fact]
    public async Task The_worker_endpoint_runs_its_steps_and_refuses_others()
    {
        await using var app = await StartDataPrepAsync();
        using var client = app.GetTestClient();

        var ok = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r1", Config, "prepare-train-data", []));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var output = Assert.Single((await ok.Content.ReadFromJsonAsync<StepResult>())!.Outputs);
        Assert.Equal(Sha256Of(Path.Combine(Dir("store"), "runs", "r1", "train-data", "train-data.parquet")), output.Sha256);

        var wrongKind = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r1", Config, "evaluate-baseline", []));
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/steps/TrainModelActivity", new StepRequest("r1", Config, "train-gee", []))).StatusCode);
        var huge = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r1", new string(' ', 300_000) + Config, "prepare-train-data", []));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("262144", await huge.Content.ReadAsStringAsync());
        var missingField = await client.PostAsync("/steps/PrepareDataActivity", new StringContent("{\"runId\": \"r1\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, missingField.StatusCode);
    }
}
