using System.Diagnostics;
using OneShotGee.Core;
using OneShotGee.Modeling.Checkpoint;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Training.DemoModel;

/// <summary>
/// The embedded default model: a tiny Qwen2 pretrained on <see cref="DemoCorpus"/>, built on first use into
/// <c>&lt;cache root&gt;/&lt;recipe hash&gt;/</c> as a Hugging Face checkpoint with <see cref="DemoModelCard"/>.
/// A build goes to a temporary directory that is renamed when complete, so an interrupted build leaves no model.
/// </summary>
public static class DemoModelCache
{
    /// <summary><c>$XDG_CACHE_HOME/oneshotgee/demo-model</c>, else <c>~/.cache/oneshotgee/demo-model</c>.</summary>
    public static string DefaultRoot()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "oneshotgee", "demo-model");
    }

    /// <summary>Where <paramref name="recipe"/>'s model lives under <paramref name="cacheRoot"/> (default <see cref="DefaultRoot"/>).</summary>
    public static string PathFor(DemoRecipe recipe, string? cacheRoot = null) =>
        PathFor(recipe.Hash(recipe.Corpus()), cacheRoot);

    static string PathFor(string hash, string? cacheRoot) =>
        Path.Combine(Path.GetFullPath(cacheRoot ?? DefaultRoot()), hash);

    /// <summary>The directory of the default demo model, built first if the cache lacks it.</summary>
    public static string EnsureBuilt(string? cacheRoot = null, IProgress<PretrainProgress>? progress = null, CancellationToken ct = default) =>
        EnsureBuilt(DemoRecipe.Default, cacheRoot, rebuild: false, progress, ct);

    /// <param name="rebuild">Build even when the cache holds this recipe's model, and replace it.</param>
    public static string EnsureBuilt(DemoRecipe recipe, string? cacheRoot, bool rebuild,
        IProgress<PretrainProgress>? progress, CancellationToken ct)
    {
        var corpus = recipe.Corpus();
        var hash = recipe.Hash(corpus);
        var target = PathFor(hash, cacheRoot);
        if (File.Exists(Path.GetDirectoryName(target)))
            throw new InvalidInputException($"demo model cache directory '{Path.GetDirectoryName(target)}' is a file");
        if (!rebuild && File.Exists(Path.Combine(target, DemoModelCard.FileName))) return target;

        var staging = $"{target}.tmp-{Guid.NewGuid():N}";
        try
        {
            Build(recipe, hash, corpus, staging, progress, ct);
            Publish(Path.Combine(staging, "model"), target, rebuild);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return target;
    }

    static void Build(DemoRecipe recipe, string hash, IReadOnlyList<DemoDocument> corpus, string staging,
        IProgress<PretrainProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var tokenizerDir = Directory.CreateDirectory(Path.Combine(staging, "tokenizer")).FullName;
        var vocabulary = ByteLevelBpeTrainer.Train(corpus.Select(d => d.Text));
        DemoTokenizerFiles.Write(tokenizerDir, vocabulary, recipe.MaxPositionEmbeddings);
        var tokenizer = ModelTokenizer.FromDirectory(tokenizerDir);
        var endOfText = DemoTokenizerFiles.EndOfTextId(vocabulary);
        var documents = corpus.Select(d => (IReadOnlyList<int>)[.. tokenizer.Encode(d.Text, addSpecialTokens: false), endOfText]).ToList();

        var config = recipe.ModelConfig(DemoTokenizerFiles.VocabSize(vocabulary), endOfText);
        using var lm = CausalLM.CreateRandom(config, recipe.Seed);
        var finalLoss = Pretrainer.Train(lm, documents, recipe, progress, ct);
        var heldOut = DemoCorpus.Generate(recipe.HeldOutPairs, recipe.HeldOutSeed, recipe.AttributeLexicon());
        var measured = EntropyGapProbe.Measure(lm, tokenizer, heldOut, recipe.Seed);

        var modelDir = Path.Combine(staging, "model");
        lm.SavePretrained(modelDir, new SaveOptions(TokenizerSource: tokenizerDir));
        new DemoModelCard(
            RecipeHash: hash, Recipe: recipe, CorpusVersion: DemoCorpus.Version,
            VocabSize: config.VocabSize, Parameters: lm.parameters().Sum(p => p.numel()), FinalLoss: finalLoss,
            PlantedEntropy: DemoCorpus.PlantedEntropies(recipe.AttributeLexicon()),
            MeasuredEntropy: measured, BuildSeconds: clock.Elapsed.TotalSeconds).Write(modelDir);
    }

    // Another process may have published the same recipe meanwhile: its model is as good as ours.
    static void Publish(string built, string target, bool replace)
    {
        if (Directory.Exists(target))
        {
            if (!replace) return;
            var old = $"{target}.old-{Guid.NewGuid():N}";
            Directory.Move(target, old);
            Directory.Move(built, target);
            Directory.Delete(old, recursive: true);
            return;
        }
        Directory.Move(built, target);
    }
}
