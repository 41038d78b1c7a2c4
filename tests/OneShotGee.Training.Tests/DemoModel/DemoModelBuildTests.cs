using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Training.DemoModel;
using static TorchSharp.torch;

namespace OneShotGee.Training.Tests.DemoModel;

public sealed class DemoModelBuildTests : IDisposable
{
    // A reduced recipe: the full pipeline in about a second.
    static readonly DemoRecipe Small = new()
    {
        CorpusPairs = 24, NeutralDocuments = 8, HeldOutPairs = 2, HiddenSize = 32, IntermediateSize = 64, Steps = 4, BatchSize = 4, WarmupSteps = 2,
    };

    readonly string _root = Directory.CreateTempSubdirectory("oneshotgee-demo-model-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    sealed class Steps : IProgress<PretrainProgress>
    {
        public List<PretrainProgress> Reports { get; } = [];
        public void Report(PretrainProgress value) => Reports.Add(value);
    }

    string Build(DemoRecipe recipe, bool rebuild = false, Steps? progress = null) =>
        DemoModelCache.EnsureBuilt(recipe, _root, rebuild, progress, CancellationToken.None);

    [Fact]
    public void BuildWritesAQwen2CheckpointWithTokenizerAndCardAndReportsEveryStep()
    {
        var progress = new Steps();
        var dir = Build(Small, progress: progress);

        Assert.Equal(DemoModelCache.PathFor(Small, _root), dir);
        foreach (var file in new[] { "config.json", "model.safetensors", "generation_config.json", "tokenizer.json", "tokenizer_config.json", DemoModelCard.FileName })
            Assert.True(File.Exists(Path.Combine(dir, file)), $"missing {file}");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        Assert.Equal("Qwen2ForCausalLM", (string?)config["architectures"]![0]);
        foreach (var field in new[] { "model_type", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                     "num_attention_heads", "num_key_value_heads", "hidden_act", "max_position_embeddings", "initializer_range",
                     "rms_norm_eps", "rope_theta", "tie_word_embeddings", "use_sliding_window", "sliding_window",
                     "max_window_layers", "attention_dropout", "use_cache", "bos_token_id", "eos_token_id", "torch_dtype" })
            Assert.True(config.ContainsKey(field), $"config.json lacks {field}");
        Assert.Equal([1, 2, 3, 4], progress.Reports.Select(r => r.Step));
        Assert.All(progress.Reports, r => Assert.True(double.IsFinite(r.Loss) && r.Loss > 0));

        var card = DemoModelCard.Read(dir);
        Assert.Equal(Path.GetFileName(dir), card.RecipeHash);
        Assert.Equal(Small, card.Recipe);
        Assert.Equal(0.75 * Math.Log(4), card.PlantedEntropy.Gap, 12);
        Assert.True(double.IsFinite(card.MeasuredEntropy.Gap));
        Assert.Empty(Directory.GetDirectories(_root, "*.tmp-*"));
    }

    [Fact]
    public void ReloadedModelGivesTheLogitsOfTheSameRecipeTrainedInMemory()
    {
        var dir = Build(Small);
        var tokenizer = ModelTokenizer.FromDirectory(dir);
        var eos = tokenizer.EosIds[0];
        var documents = Small.Corpus()
            .Select(d => (IReadOnlyList<int>)[.. tokenizer.Encode(d.Text), eos]).ToList();
        using var trained = CausalLM.CreateRandom(Small.ModelConfig(tokenizer.VocabSize, eos), Small.Seed);
        Pretrainer.Train(trained, documents, Small, progress: null, CancellationToken.None);
        using var loaded = CausalLM.FromPretrained(dir);

        using var ids = tensor(documents.Take(3).SelectMany(d => d.Take(20)).Select(i => (long)i).ToArray(), [3, 20]);
        using var mask = ones_like(ids);
        using var expected = trained.call(ids, mask, null);
        using var actual = loaded.call(ids, mask, null);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0), "reloaded logits differ from the in-memory model's");
        Assert.False(trained.parameters().Zip(CausalLM.CreateRandom(trained.Config, Small.Seed).parameters()).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0)),
            "pretraining changed no weight");
    }

    [Fact]
    public void ASecondCallReusesTheCachedModelWithoutTraining()
    {
        var dir = Build(Small);
        var weights = Path.Combine(dir, "model.safetensors");
        var written = File.GetLastWriteTimeUtc(weights);
        var progress = new Steps();

        Assert.Equal(dir, Build(Small, progress: progress));
        Assert.Empty(progress.Reports);
        Assert.Equal(written, File.GetLastWriteTimeUtc(weights));
    }

    [Fact]
    public void AChangedRecipeBuildsANewModelBesideTheOld()
    {
        var dir = Build(Small);
        var changed = Build(Small with { Steps = 5 });

        Assert.NotEqual(dir, changed);
        Assert.Equal(Path.GetDirectoryName(dir), Path.GetDirectoryName(changed));
        Assert.True(File.Exists(Path.Combine(dir, DemoModelCard.FileName)));
        Assert.Equal(5, DemoModelCard.Read(changed).Recipe.Steps);
    }

    [Fact]
    public void RebuildReplacesTheCachedModel()
    {
        var dir = Build(Small);
        var written = File.GetLastWriteTimeUtc(Path.Combine(dir, "model.safetensors"));
        var progress = new Steps();
        Thread.Sleep(20);

        Assert.Equal(dir, Build(Small, rebuild: true, progress));
        Assert.Equal(Small.Steps, progress.Reports.Count);
        Assert.NotEqual(written, File.GetLastWriteTimeUtc(Path.Combine(dir, "model.safetensors")));
        Assert.Single(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void ACancelledBuildLeavesNoModelAndNoTemporaryFiles()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(() => cancel.Cancel());

        Assert.ThrowsAny<OperationCanceledException>(() => DemoModelCache.EnsureBuilt(Small, _root, false, progress, cancel.Token));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void ACacheRootThatIsAFileIsBadInput()
    {
        var file = Path.Combine(_root, "file");
        File.WriteAllText(file, "");
        var error = Assert.Throws<InvalidInputException>(() => DemoModelCache.EnsureBuilt(Small, file, false, null, CancellationToken.None));
        Assert.Contains(file, error.Message);
    }

    sealed class Progress(Action onReport) : IProgress<PretrainProgress>
    {
        public void Report(PretrainProgress value) => onReport();
    }
}
