using System.Text.Json.Serialization;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Paired;

/// <summary>How <see cref="PairedEntropyEvaluation"/> samples responses and computes its statistics.</summary>
public sealed record PairedEntropyOptions
{
    /// <summary>Responses per prompt (k); greedy decoding always uses one.</summary>
    public int SamplesPerPrompt { get; init; } = 4;
    /// <summary>Greedy decoding instead of sampling.</summary>
    public bool Greedy { get; init; }
    /// <summary>Sampling temperature; 0 decodes greedily. Entropies are always of the model's own distribution.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Nucleus sampling mass, in (0, 1]; 1 disables it.</summary>
    public double TopP { get; init; } = 1.0;
    public int TopK { get; init; }
    /// <summary>Generated tokens per response, at most.</summary>
    public int MaxNewTokens { get; init; } = 32;
    /// <summary>Seeds the sampling (per pair and sample index), the bootstrap and the permutation test.</summary>
    public int Seed { get; init; } = 15;
    public int BootstrapResamples { get; init; } = 1000;
    /// <summary>Monte Carlo sign flips when there are more than 16 pairs (fewer are enumerated exactly).</summary>
    public int PermutationResamples { get; init; } = 10000;
    /// <summary>Prompts per generation call with greedy decoding (sampling generates one response per call).</summary>
    public int BatchSize { get; init; } = 16;

    [JsonIgnore] public bool IsGreedy => Greedy || Temperature == 0;

    [JsonIgnore] public int EffectiveSamples => IsGreedy ? 1 : SamplesPerPrompt;

    /// <summary>Messages name the <c>evaluate</c> option and, in parentheses, the run.json setting.</summary>
    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new InvalidInputException(message); }
        Require(SamplesPerPrompt >= 1, $"--samples (samples_per_prompt) must be at least 1, got {SamplesPerPrompt}");
        Require(MaxNewTokens >= 1, $"--max-new-tokens (max_new_tokens) must be at least 1, got {MaxNewTokens}");
        Require(double.IsFinite(Temperature) && Temperature >= 0, $"--temperature (temperature) must be a finite number >= 0, got {Temperature}");
        Require(double.IsFinite(TopP) && TopP > 0 && TopP <= 1, $"--top-p (top_p) must be in (0, 1], got {TopP}");
        Require(TopK >= 0, $"top_k must be >= 0, got {TopK}");
        Require(BootstrapResamples >= 1, $"bootstrap resamples must be at least 1, got {BootstrapResamples}");
        Require(PermutationResamples >= 1, $"permutation resamples must be at least 1, got {PermutationResamples}");
        Require(BatchSize >= 1, $"batch size must be at least 1, got {BatchSize}");
    }
}
