namespace OneShotGee.Modeling.Generation;

public enum StopReason { Eos, Length }

/// <summary>One sequence's output: its prompt, the new ids (ending with the EOS id if it stopped there), per-token entropies.</summary>
public sealed record GeneratedSequence(
    IReadOnlyList<int> PromptIds,
    IReadOnlyList<int> GeneratedIds,
    StopReason StopReason,
    IReadOnlyList<double>? Entropies);
