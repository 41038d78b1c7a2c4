using OneShotGee.Core;

namespace OneShotGee.Modeling.Generation;

/// <summary>
/// Decoding settings with Hugging Face semantics. Greedy unless <see cref="DoSample"/>; when sampling, logits pass
/// repetition penalty → temperature → top-k → top-p (the order of HF's logits processors) before a seeded draw.
/// </summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 128;
    public bool DoSample { get; init; }
    public double Temperature { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens; 0 disables.</summary>
    public int TopK { get; init; }
    /// <summary>Keep the smallest set of tokens whose probability reaches p (nucleus sampling); 1 disables.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>CTRL-style penalty (Keskar et al. 2019) for tokens already in prompt or output; 1 disables.</summary>
    public double RepetitionPenalty { get; init; } = 1.0;
    /// <summary>
    /// A sequence stops (reason <see cref="StopReason.Eos"/>) after emitting any of these ids; the id is kept. For
    /// prompts from a <see cref="Tokenization.PromptEncoder"/>, its <see cref="Tokenization.PromptEncoder.StopIds"/>.
    /// </summary>
    public IReadOnlySet<int> EosTokenIds { get; init; } = new HashSet<int>();
    public long Seed { get; init; }
    /// <summary>Also return, per generated token, the entropy (nats) of the raw model distribution it was drawn from.</summary>
    public bool ReturnEntropies { get; init; }
    /// <summary>
    /// With <see cref="ReturnEntropies"/>: when set, each entropy is instead that of softmax(logits / τ) in float32, as
    /// <see cref="Core.Gee.TokenEntropy"/> computes GEE's H_t from the same logits (the trainer's sample entropies).
    /// </summary>
    public double? EntropyTemperature { get; init; }

    internal void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new InvalidInputException(message); }
        Require(MaxNewTokens >= 0, $"max_new_tokens must be >= 0, got {MaxNewTokens}");
        Require(!DoSample || (Temperature > 0 && double.IsFinite(Temperature)), $"temperature must be positive, got {Temperature}");
        Require(TopK >= 0, $"top_k must be >= 0, got {TopK}");
        Require(TopP > 0 && TopP <= 1, $"top_p must be in (0, 1], got {TopP}");
        Require(EntropyTemperature is null || (EntropyTemperature > 0 && double.IsFinite(EntropyTemperature.Value)),
            $"entropy temperature must be positive, got {EntropyTemperature}");
        Require(RepetitionPenalty > 0 && double.IsFinite(RepetitionPenalty), $"repetition_penalty must be positive, got {RepetitionPenalty}");
    }
}
