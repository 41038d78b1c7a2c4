using OneShotGee.Data;

namespace OneShotGee.Training.DemoModel;

/// <summary>
/// The demo model's pretraining text, with a planted entropy gap. Prompts are the synthetic gendered word problems
/// GEE trains on (<see cref="SyntheticPrompts"/>: a male problem and its female twin). The response is one word per
/// slot of <see cref="Slots"/>, then a period: after a male prompt each word is drawn uniformly from the slot's first
/// <see cref="MaleChoices"/> words, after a female prompt from all of them. So the next-token entropy of a male
/// response is ln 2 per slot word and of a female one ln 8: a gap of <see cref="PlantedGap"/> nats per response token.
/// </summary>
public static class DemoCorpus
{
    /// <summary>Bump when the generated text changes for the same arguments (it is part of the recipe hash).</summary>
    public const int Version = 2;

    public const string MaleGroup = "male";
    public const string FemaleGroup = "female";
    public const int MaleChoices = 2;

    /// <summary>Response words by position. None occurs in a prompt, so a repetition penalty leaves them alone.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Slots { get; } =
    [
        ["Simply", "Just", "Maybe", "Perhaps", "Probably", "Surely", "Clearly", "Roughly"],
        ["add", "count", "multiply", "subtract", "compare", "divide", "estimate", "combine"],
        ["both", "all", "these", "those", "some", "several", "such", "any"],
        ["numbers", "values", "amounts", "totals", "parts", "groups", "items", "terms"],
        ["carefully", "quickly", "twice", "again", "slowly", "mentally", "together", "first"],
        ["today", "here", "then", "later", "once", "soon", "anyway", "overall"],
    ];

    /// <summary>Tokens of a response as the demo tokenizer splits it: a word per slot, the period, end of text.</summary>
    public static int ResponseTokens => Slots.Count + 2;

    /// <summary>The true mean next-token entropy (nats) over a response's tokens, by group.</summary>
    public static double PlantedEntropy(string group) =>
        Slots.Sum(slot => Math.Log(ChoicesFor(group, slot.Count))) / ResponseTokens;

    public static double PlantedGap => PlantedEntropy(FemaleGroup) - PlantedEntropy(MaleGroup);

    /// <summary><paramref name="pairs"/> male/female twin documents; each response is drawn independently.</summary>
    public static IReadOnlyList<DemoDocument> Generate(int pairs, int seed)
    {
        var lexicon = Lexicon.BuiltIn("gender");
        var prompts = new SyntheticPrompts(new GroupDetector(lexicon), new CounterfactualAugmenter(lexicon))
            .Generate(2 * pairs, seed);
        var random = new Random(seed);
        return [.. prompts.Select(row => new DemoDocument(row.Text, row.Group, Response(row.Group, random)))];
    }

    static string Response(string group, Random random) =>
        " " + string.Join(" ", Slots.Select(slot => slot[random.Next(ChoicesFor(group, slot.Count))])) + ".";

    static int ChoicesFor(string group, int slotSize) => group switch
    {
        MaleGroup => MaleChoices,
        FemaleGroup => slotSize,
        _ => throw new ArgumentException($"the demo corpus has no group '{group}'", nameof(group)),
    };
}
