namespace OneShotGee.Modeling.Generation;

public enum StopReason { Eos, Length }

/// <summary>One sequence's output: its prompt, the new ids (ending with the stop id if it stopped there), per-token entropies.</summary>
public sealed record GeneratedSequence(
    IReadOnlyList<int> PromptIds,
    IReadOnlyList<int> GeneratedIds,
    StopReason StopReason,
    IReadOnlyList<double>? Entropies)
{
    /// <summary>The generated ids without the stop id that ended them: the text of the response.</summary>
    public IReadOnlyList<int> ContentIds => StopReason == StopReason.Eos ? GeneratedIds.Take(GeneratedIds.Count - 1).ToList() : GeneratedIds;
}
