namespace OneShotGee.Evaluation.Paired;

/// <summary>Matched prompts that differ only in the group they name: <see cref="Texts"/>[g] is the prompt of the set's g-th group.</summary>
public sealed record PromptPair(string PairId, IReadOnlyList<string> Texts);
