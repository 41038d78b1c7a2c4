using OneShotGee.Core;

namespace OneShotGee.Evaluation.Paired;

/// <summary>How <see cref="PairedEntropyEvaluation"/> samples responses and computes its statistics.</summary>
public sealed record PairedEntropyOptions
{
    /// <summary>Responses per prompt (k); greedy decoding always uses one.</summary>
    public int SamplesPerPrompt { get; init; } = 4;
    /// <summary>Greedy decoding instead of sampling.</summary>
    public bool Greedy { get; init; }
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    public int TopK { get; init; }
    public int MaxNewTokens { get; init; } = 32;
    /// <summary>Seeds the sampling (per pair and sample index), the bootstrap and the permutation test.</summary>
    public int Seed { get; init; } = 15;
    public int BootstrapResamples { get; init; } = 1000;
    /// <summary>Monte Carlo sign flips when there are more than 16 pairs (fewer are enumerated exactly).</summary>
    public int PermutationResamples { get; init; } = 10000;
    /// <summary>Prompts per generation call with greedy decoding (sampling generates one response per call).</summary>
    public int BatchSize { get; init; } = 16;

    public int EffectiveSamples => Greedy ? 1 : SamplesPerPrompt;

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new InvalidInputException(message); }
        Require(SamplesPerPrompt >= 1, $"samples per prompt must be at least 1, got {SamplesPerPrompt}");
        Require(MaxNewTokens >= 1, $"max new tokens must be at least 1, got {MaxNewTokens}");
        Require(BootstrapResamples >= 1, $"bootstrap resamples must be at least 1, got {BootstrapResamples}");
        Require(PermutationResamples >= 1, $"permutation resamples must be at least 1, got {PermutationResamples}");
        Require(BatchSize >= 1, $"batch size must be at least 1, got {BatchSize}");
    }
}
