using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Steps;
using OneShotGee.Tests;
using OneShotGee.Workers;

namespace OneShotGee.Services.Tests;

/// <summary>The trainer's base-model activity goes through <c>GeeRun.ResolveModel</c>, as <c>oneshotgee run</c> does.</summary>
public sealed class ResolveBaseModelActivityTests : IDisposable
{
    static readonly string Stories = Fixtures.PathOf("models/stories260k");
    readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    Task<ArtifactRef> ResolveAsync(string model, string? attribute = null) =>
        new ResolveBaseModelActivity(new LocalArtifactStore(_root.File("store")), new WorkerOptions { WorkRoot = _root.File("trainer") },
                new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), NullLogger<ResolveBaseModelActivity>.Instance)
            .RunAsync(new TestActivityContext(nameof(ResolveBaseModelActivity)), new BaseModelRequest("run-1", model, attribute));

    /// <summary>A PEFT adapter over stories260k whose config names its base relative to the adapter directory.</summary>
    string WriteAdapter(string relativeBase)
    {
        var adapter = _root.File("adapter");
        using var lm = CausalLM.FromPretrained(Stories);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 2, alpha: 4), seed: 1);
        LoraAdapter.Save(lm, adapter, relativeBase);
        return adapter;
    }

    [Fact]
    public async Task An_adapter_directory_is_the_base_model_artifact_in_place()
    {
        var adapter = WriteAdapter(Path.GetRelativePath(_root.File("adapter"), Stories));

        var resolved = await ResolveAsync(adapter);

        Assert.Equal(ArtifactRef.Of(TrainModelStep.BaseModel, adapter), resolved);
    }

    [Fact]
    public async Task An_adapter_whose_base_is_missing_is_refused_naming_it()
    {
        var adapter = WriteAdapter("../no-such-base");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ResolveAsync(adapter));

        Assert.Contains("no-such-base", error.Message);
    }

    [Fact]
    public async Task The_demo_model_is_built_for_the_runs_attribute()
    {
        // religion's lexicon cannot write the demo's templates, which DemoCorpus refuses before anything is built: the
        // refusal shows the attribute reached the demo recipe (a gender demo would have been built instead).
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ResolveAsync("demo", "religion"));

        Assert.Contains("cannot plant a gap across attribute 'religion'", error.Message);
        Assert.False(Directory.Exists(_root.File("store")));
    }
}
