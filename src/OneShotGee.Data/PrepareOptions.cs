using OneShotGee.Core;

namespace OneShotGee.Data;

public enum AugmentMode
{
    /// <summary>Keep detected rows as they are; balance by downsampling each group.</summary>
    None,

    /// <summary>Add each detected row's counterfactual variant in every other group; balance by whole sets.</summary>
    Counterfactual,
}

/// <summary>
/// What <see cref="PrepareStep"/> does. <c>Attribute</c> names a built-in lexicon (gender, gender-nb, religion) or a
/// lexicon file (<see cref="Lexicon.Resolve"/>); <c>LexiconPath</c>, the older form, gives a file for the attribute
/// <c>Attribute</c> names. The rows come from <c>InputPath</c> (all rows of a group, or with <c>OneShot</c>
/// only the first row's variants) or from <c>Synthetic</c> templated prompts, never both. One-shot and synthetic rows
/// are always counterfactual sets (one row per group); <c>Augment</c> applies to detected input rows. <c>TargetSize</c> balances to that many
/// rows (default: the most that balance); <c>Replicate</c> then repeats the balanced rows (One-shot EM trains on one
/// problem replicated 1,280 times).
/// </summary>
public sealed record PrepareOptions(
    string OutputPath,
    string? InputPath = null,
    string TextColumn = "problem",
    string Attribute = "gender",
    string? LexiconPath = null,
    AugmentMode Augment = AugmentMode.None,
    bool OneShot = false,
    int Replicate = 1,
    int? TargetSize = null,
    int? Synthetic = null,
    int Seed = 15)
{
    /// <exception cref="InvalidInputException">The first problem found, naming the option.</exception>
    /// <summary>What names the lexicon: <c>LexiconPath</c> when given, else <c>Attribute</c> (a built-in name or a file).</summary>
    public string LexiconSource() => LexiconPath ?? Attribute;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputPath)) throw new InvalidInputException("OutputPath is required");
        if (!OutputPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"OutputPath '{OutputPath}' must end in .parquet (the prepared format is Parquet)");
        if (InputPath is not null == Synthetic is not null)
            throw new InvalidInputException("give exactly one of InputPath (a dataset file) and Synthetic (a prompt count)");
        if (Synthetic is <= 0)
            throw new InvalidInputException($"Synthetic {Synthetic} must be a positive multiple of the number of groups (one prompt per group per set)");
        if (Synthetic is not null && (OneShot || TargetSize is not null))
            throw new InvalidInputException("Synthetic sets the size itself; it takes neither OneShot nor TargetSize");
        if (string.IsNullOrWhiteSpace(TextColumn)) throw new InvalidInputException("TextColumn must name a column");
        if (string.IsNullOrWhiteSpace(Attribute))
            throw new InvalidInputException($"Attribute must name a built-in lexicon ({string.Join(", ", Lexicon.BuiltInAttributes)}) or a lexicon file");
        if (!Enum.IsDefined(Augment)) throw new InvalidInputException($"Augment {(int)Augment} is not one of None, Counterfactual");
        if (Replicate < 1) throw new InvalidInputException($"Replicate {Replicate} must be at least 1");
        if (TargetSize is <= 0) throw new InvalidInputException($"TargetSize {TargetSize} must be positive");
    }
}
