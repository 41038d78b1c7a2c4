using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
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

        var output = Assert.Single(await host.ExecuteAsync(request));
        var stored = Path.Combine(Dir("store"), "runs", "r1", "train-data", "train-data.parquet");
        Assert.Equal(("train-data", store.UriOf("runs/r1/train-data/train-data.parquet")), (output.Name, output.Uri));
        Assert.Equal((new FileInfo(stored).Length, Sha256Of(stored)), (output.Size, output.Sha256));
        var written = File.GetLastWriteTimeUtc(stored);
        var started = RunManifest.TryLoad(Path.Combine(Dir("dataprep"), "runs", "r1"))!.Step("prepare-train-data")!.Started;

        Assert.Equal(output, Assert.Single(await host.ExecuteAsync(request)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(stored));
        Assert.Equal(started, RunManifest.TryLoad(Path.Combine(Dir("dataprep"), "runs", "r1"))!.Step("prepare-train-data")!.Started);
    }

    [Fact]
    public async Task Corrupted_store_content_is_refused_on_another_host_and_leaves_nothing_there()
    {
        var store = new LocalArtifactStore(Dir("store"));
        var model = ArtifactRef.Of("base-model", SharedData.PathOf("models/stories260k"));
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
        var worker = new StepWorker(new StepExecutor(new LocalArtifactStore(Dir("store")), Dir("host")), NullLogger<StepWorker>.Instance);
        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new TrainModelActivity(worker).RunAsync(new TestActivityContext("TrainModelActivity"), new StepRequest("r1", Config, "prepare-train-data", [])));
        Assert.Contains("runs in PrepareDataActivity on app 'dataprep', not in TrainModelActivity", error.Message);
    }

    [Fact]
    public async Task The_worker_endpoint_runs_its_steps_and_refuses_others()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["Worker:WorkRoot"] = Dir("work");
        builder.Configuration["Worker:StoreDirectory"] = Dir("store");
        builder.AddServiceDefaults();
        builder.AddStepWorker(AppIds.DataPrep);
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapStepWorker(AppIds.DataPrep);
        await app.StartAsync();
        using var client = app.GetTestClient();

        var ok = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r1", Config, "prepare-train-data", []));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var output = Assert.Single((await ok.Content.ReadFromJsonAsync<List<ArtifactRef>>())!);
        Assert.Equal(Sha256Of(Path.Combine(Dir("store"), "runs", "r1", "train-data", "train-data.parquet")), output.Sha256);

        var wrongKind = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r1", Config, "evaluate-baseline", []));
        Assert.Equal(HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/steps/TrainModelActivity", new StepRequest("r1", Config, "train-gee", []))).StatusCode);
        var huge = await client.PostAsJsonAsync("/steps/PrepareDataActivity", new StepRequest("r1", new string(' ', 300_000) + Config, "prepare-train-data", []));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("262144", await huge.Content.ReadAsStringAsync());
        var missingField = await client.PostAsync("/steps/PrepareDataActivity", new StringContent("{\"runId\": \"r1\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, missingField.StatusCode);
    }
}
