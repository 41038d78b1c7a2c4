namespace OneShotGee.Data;

/// <summary>
/// Whether a held-out prompt set is held out: how many of its distinct prompts also occur in the training data,
/// compared after normalisation (case and runs of whitespace), so that re-spaced or re-cased copies count too.
/// </summary>
public static class PromptOverlap
{
    public static int Count(IEnumerable<string> heldOut, IEnumerable<string> training)
    {
        var trained = training.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        return heldOut.Select(Normalize).Distinct(StringComparer.Ordinal).Count(trained.Contains);
    }

    public static string Normalize(string prompt) =>
        string.Join(' ', prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
