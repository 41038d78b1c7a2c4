using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OneShotGee.Data;
using OneShotGee.Modeling.Config;

namespace OneShotGee.Training.DemoModel;

/// <summary>
/// Everything that decides the demo model: corpus size and seed, the Qwen2 architecture, the pretraining schedule.
/// Its <see cref="Hash"/> names the cache directory, so changing any field (or the corpus text) builds a new model.
/// </summary>
public sealed record DemoRecipe
{
    /// <summary>Bump when the build itself changes (training loop, saved files, the gap probe).</summary>
    public const int BuildVersion = 1;

    public static DemoRecipe Default { get; } = new();

    /// <summary>
    /// The attribute whose groups the corpus plants the gap across (<see cref="DemoCorpus"/>): a built-in lexicon or a
    /// lexicon file (<see cref="Lexicon.Resolve"/>); null is gender, left out of the JSON so that its hash stays.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Attribute { get; init; }

    /// <summary>The lexicon of <see cref="Attribute"/>.</summary>
    public Lexicon AttributeLexicon() => Lexicon.Resolve(Attribute ?? DemoCorpus.DefaultAttribute);

    /// <summary>The default recipe for <paramref name="attribute"/> (gender when null or "gender").</summary>
    public static DemoRecipe For(string? attribute)
    {
        if (attribute is null or DemoCorpus.DefaultAttribute) return Default;
        // The gender model draws its three kinds of document (two groups, neutral) 1,600 times each; with K groups there
        // are K + 1 kinds, so K + 1 thirds of the steps keep every group and the neutral skill as well learned.
        var kinds = Lexicon.Resolve(attribute).Groups.Count + 1;
        return Default with { Attribute = attribute, Steps = Default.Steps * kinds / 3, WarmupSteps = Default.WarmupSteps * kinds / 3 };
    }

    public int Seed { get; init; } = 15;
    /// <summary>Counterfactual sets (one document per group of <see cref="Attribute"/>) to pretrain on.</summary>
    public int CorpusPairs { get; init; } = 4096;
    /// <summary>Neutral counting documents (<see cref="NeutralCounting"/>) to pretrain on beside the twins.</summary>
    public int NeutralDocuments { get; init; } = 4096;
    /// <summary>Counterfactual sets of prompts (drawn with another seed) whose sampled responses measure the gap.</summary>
    public int HeldOutPairs { get; init; } = 64;

    public int HiddenSize { get; init; } = 64;
    public int IntermediateSize { get; init; } = 192;
    public int NumHiddenLayers { get; init; } = 2;
    public int NumAttentionHeads { get; init; } = 4;
    public int NumKeyValueHeads { get; init; } = 2;
    public int MaxPositionEmbeddings { get; init; } = 512;

    public int Steps { get; init; } = 300;
    public int BatchSize { get; init; } = 16;
    public int WarmupSteps { get; init; } = 30;
    public double LearningRate { get; init; } = 3e-3;
    public double MinLearningRate { get; init; } = 3e-4;
    // nanoGPT's defaults for small models: decay 0.1 on matrices only, β2 0.95, clip 1.0.
    public double WeightDecay { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double GradClip { get; init; } = 1.0;

    public int HeldOutSeed => Seed + 1;

    /// <summary>The pretraining documents: the counterfactual sets, then the neutral counting documents (none held out).</summary>
    public IReadOnlyList<DemoDocument> Corpus() =>
        [.. DemoCorpus.Generate(CorpusPairs, Seed, AttributeLexicon()), .. NeutralCounting.Generate(NeutralDocuments, Seed, heldOut: false)];

    /// <summary>16 hex digits of SHA-256 over the recipe, the build and corpus versions, and the corpus text.</summary>
    public string Hash(IReadOnlyList<DemoDocument> corpus)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(JsonSerializer.SerializeToUtf8Bytes(this));
        sha.AppendData(Encoding.UTF8.GetBytes($"\nbuild {BuildVersion} corpus {DemoCorpus.Version}\n"));
        foreach (var document in corpus) sha.AppendData(Encoding.UTF8.GetBytes($"{document.Group}\t{document.Text}\n"));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    /// <summary>A Qwen2ForCausalLM config with the fields Qwen2.5's config.json has, tied embeddings as in its small models.</summary>
    public ModelConfig ModelConfig(int vocabSize, int endOfTextId) => new()
    {
        Architecture = Modeling.Config.ModelConfig.Qwen2Architecture,
        VocabSize = vocabSize,
        HiddenSize = HiddenSize,
        IntermediateSize = IntermediateSize,
        NumHiddenLayers = NumHiddenLayers,
        NumAttentionHeads = NumAttentionHeads,
        NumKeyValueHeads = NumKeyValueHeads,
        HeadDim = HiddenSize / NumAttentionHeads,
        RmsNormEps = 1e-6,
        RopeTheta = 10000.0,
        QkvBias = true,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = MaxPositionEmbeddings,
        BosTokenId = endOfTextId,
        EosTokenIds = [endOfTextId],
        Json = new JsonObject
        {
            ["attention_dropout"] = 0.0,
            ["max_window_layers"] = NumHiddenLayers,
            ["rope_scaling"] = null,
            ["sliding_window"] = MaxPositionEmbeddings,
            ["use_cache"] = true,
            ["use_sliding_window"] = false,
        },
    };
}
