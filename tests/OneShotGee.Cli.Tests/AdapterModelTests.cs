using System.Text.Json;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using OneShotGee.Modeling.Scoring;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Cli.Tests;

/// <summary>
/// A PEFT adapter directory as --model (generate, score, evaluate) and merge's input, checked against the same adapter
/// applied in-process to its base (the model that wrote it).
/// </summary>
public sealed class AdapterModelTests : IDisposable
{
    static readonly string Stories = Fixtures.PathOf("models/stories260k");
    static readonly string TinyQwen = Fixtures.PathOf("models/tiny-qwen2");
    readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    /// <summary>Loads the base, attaches a seeded adapter whose update has std = <paramref name="relativeUpdate"/>·std(W),
    /// and saves it with a base_model_name_or_path relative to the adapter directory. Returns the adapted model.</summary>
    CausalLM WriteAdapter(string baseModel, ScalarType dtype, string name, double relativeUpdate)
    {
        var lm = CausalLM.FromPretrained(baseModel, dtype);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8), seed: 1);
        using (no_grad())
        {
            using var g = new Generator(2, CPU);
            foreach (var (_, linear) in LoraAdapter.Branches(lm))
            {
                using var scope = NewDisposeScope();
                var b = linear.Lora!.lora_B.weight;
                b.copy_(randn(b.shape, generator: g));
                b.mul_(relativeUpdate * linear.weight.to(ScalarType.Float32).std().item<float>() / linear.Lora.Delta().std().item<float>());
            }
        }
        lm.eval();
        var adapter = dir.File(name);
        LoraAdapter.Save(lm, adapter, Path.GetRelativePath(adapter, baseModel));
        return lm;
    }

    static string DtypeName(ScalarType dtype) => dtype == ScalarType.BFloat16 ? "bfloat16" : "float32";

    static async Task<double[]> ScoreAsync(string model, string ids, string dtype, params string[] extra)
    {
        var result = await CliRunner.RunAsync(["score", "--model", model, "--ids", ids, "--device", "cpu", "--dtype", dtype, "--json", .. extra]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return [.. json.RootElement.GetProperty("token_logprobs").EnumerateArray().Select(e => e.GetDouble())];
    }

    static double MaxDiff(IReadOnlyList<double> a, IReadOnlyList<double> b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    public static TheoryData<string, string> Models => new() { { "stories260k", "float32" }, { "tiny-qwen2", "bfloat16" } };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task ScoreAndGenerateOnAnAdapterDirectoryMatchTheAdapterAppliedInProcess(string fixture, string dtypeName)
    {
        var baseModel = Fixtures.PathOf("models/" + fixture);
        var dtype = dtypeName == "bfloat16" ? ScalarType.BFloat16 : ScalarType.Float32;
        using var adapted = WriteAdapter(baseModel, dtype, "adapter", relativeUpdate: 0.5);
        var tokenizer = ModelTokenizer.FromDirectory(baseModel);
        var ids = tokenizer.Encode("Once upon a time, there was a little dog");

        var expected = TokenScorer.Score(adapted, [ids])[0].TokenLogprobs;
        var fromDisk = await ScoreAsync(dir.File("adapter"), string.Join(',', ids), dtypeName);
        var baseScores = await ScoreAsync(baseModel, string.Join(',', ids), dtypeName);
        Assert.Equal(expected, fromDisk);
        Assert.True(MaxDiff(baseScores, fromDisk) > 1e-3, "the adapter changed nothing");

        var encoder = PromptEncoder.For(tokenizer, "none");
        var prompt = "Once upon a time";
        var reference = TokenGenerator.Generate(adapted, [encoder.Encode(prompt)],
            new GenerationOptions { MaxNewTokens = 12, EosTokenIds = encoder.StopIds })[0];
        var result = await CliRunner.RunAsync("generate", "--model", dir.File("adapter"), "--prompt", prompt, "--temperature", "0",
            "--repetition-penalty", "1", "--max-new-tokens", "12", "--chat-template", "none", "--device", "cpu", "--dtype", dtypeName, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(reference.GeneratedIds, json.RootElement.GetProperty("generated_ids").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task AMissingBaseIsExit2NamingThePathAndBaseModelOverridesIt()
    {
        using (var lm = WriteAdapter(Stories, ScalarType.Float32, "adapter", relativeUpdate: 0.5)) { }
        var config = Path.Combine(dir.File("adapter"), "adapter_config.json");
        var missing = dir.File("no-such-base");
        File.WriteAllText(config, File.ReadAllText(config).Replace(Path.GetRelativePath(dir.File("adapter"), Stories), missing));

        var score = await CliRunner.RunAsync("score", "--model", dir.File("adapter"), "--ids", "1,403,407", "--device", "cpu");
        Assert.Equal(2, score.ExitCode);
        Assert.Contains(missing, score.Error);
        var evaluate = await CliRunner.RunAsync("evaluate", "--baseline", Stories, "--models", $"gee={dir.File("adapter")}",
            "--benchmarks", "crows", "--data-dir", Fixtures.PathOf("data/bias"), "--device", "cpu");
        Assert.Equal(2, evaluate.ExitCode);
        Assert.Contains("model 'gee'", evaluate.Error);
        Assert.Contains(missing, evaluate.Error);
        Assert.DoesNotContain("baseline: crows", evaluate.Output + evaluate.Error); // refused before the baseline ran

        var overridden = await CliRunner.RunAsync("score", "--model", dir.File("adapter"), "--base-model", Stories, "--ids", "1,403,407", "--device", "cpu");
        Assert.True(overridden.ExitCode == 0, overridden.Error);
    }

    [Fact]
    public async Task EvaluateTakesAnAdapterDirectoryAsAModel()
    {
        using (var lm = WriteAdapter(Stories, ScalarType.Float32, "adapter", relativeUpdate: 0.5)) { }
        var result = await CliRunner.RunAsync("evaluate", "--baseline", Stories, "--models", $"gee={dir.File("adapter")}",
            "--benchmarks", "crows", "--data-dir", Fixtures.PathOf("data/bias"), "--device", "cpu", "--dtype", "float32", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var report = JsonDocument.Parse(result.Output);
        var models = report.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["baseline", "gee"], models.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(dir.File("adapter"), models[1].GetProperty("source").GetString());
    }

    [Fact]
    public async Task MergeWritesAFloat32ModelThatScoresLikeTheAdapter()
    {
        // bf16 base, an update of half a bf16 ulp (a GEE run's size): see MergedCheckpointTests for the bf16 merge losing it.
        using (var lm = WriteAdapter(TinyQwen, ScalarType.BFloat16, "adapter", relativeUpdate: 1.0 / 512)) { }
        var result = await CliRunner.RunAsync("merge", "--adapter", dir.File("adapter"), "--out", dir.File("merged"));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(LoraAdapter.IsAdapterDirectory(dir.File("merged")));
        Assert.True(File.Exists(Path.Combine(dir.File("merged"), "tokenizer.json")));

        var ids = string.Join(',', Enumerable.Range(0, 24).Select(i => (i * 7919 + 13) % 151936));
        var lpBase = await ScoreAsync(TinyQwen, ids, "float32");
        var lpAdapter = await ScoreAsync(dir.File("adapter"), ids, "float32");
        var lpMerged = await ScoreAsync(dir.File("merged"), ids, "float32");
        var update = MaxDiff(lpBase, lpAdapter);
        Assert.True(update > 0);
        Assert.True(MaxDiff(lpMerged, lpAdapter) <= 0.1 * update, $"merged vs adapter {MaxDiff(lpMerged, lpAdapter):E3}, update {update:E3}");

        var notAdapter = await CliRunner.RunAsync("merge", "--adapter", TinyQwen, "--out", dir.File("x"));
        Assert.Equal(2, notAdapter.ExitCode);
    }
}
