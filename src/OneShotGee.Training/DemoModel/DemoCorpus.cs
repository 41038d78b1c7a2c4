using OneShotGee.Core;
using OneShotGee.Data;

namespace OneShotGee.Training.DemoModel;

/// <summary>
/// The demo model's pretraining text, with a planted entropy gap across the groups of an attribute (default gender).
/// Prompts are the synthetic word problems GEE trains on (<see cref="SyntheticPrompts"/>: a male problem and its
/// counterfactual variant in every other group of the lexicon). The response is one word per slot of
/// <see cref="Slots"/>, then a period: after a prompt of the lexicon's first group each word is drawn uniformly from the
/// slot's first <see cref="LowChoices"/> words, after any other group's from all of them. So the next-token entropy of
/// a first-group response is ln 2 per slot word and of the others ln 8: a max − min gap of <see cref="PlantedGap"/>
/// nats per response token, for any number of groups.
/// </summary>
public static class DemoCorpus
{
    /// <summary>Bump when the generated text changes for the same arguments (it is part of the recipe hash).</summary>
    public const int Version = 2;

    public const string DefaultAttribute = "gender";
    public const int LowChoices = 2;

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

    /// <summary>The true mean next-token entropy (nats) over a response's tokens, for the group at <paramref name="groupIndex"/>.</summary>
    public static double PlantedEntropy(int groupIndex) =>
        Slots.Sum(slot => Math.Log(ChoicesFor(groupIndex, slot.Count))) / ResponseTokens;

    /// <summary>The planted entropy of each group of <paramref name="attribute"/>.</summary>
    public static GroupEntropies PlantedEntropies(Lexicon attribute) =>
        new(attribute.Groups.Select((g, i) => (g, PlantedEntropy(i))).ToDictionary());

    public static double PlantedGap => PlantedEntropy(1) - PlantedEntropy(0);

    /// <summary>
    /// <paramref name="sets"/> counterfactual sets (one document per group of <paramref name="attribute"/>, default the
    /// built-in gender lexicon); each response is drawn independently.
    /// </summary>
    /// <exception cref="InvalidInputException">The synthetic templates cannot be written in every group of the attribute.</exception>
    public static IReadOnlyList<DemoDocument> Generate(int sets, int seed, Lexicon? attribute = null)
    {
        var lexicon = attribute ?? Lexicon.BuiltIn(DefaultAttribute);
        IReadOnlyList<PreparedRow> prompts;
        try
        {
            prompts = new SyntheticPrompts(new GroupDetector(lexicon), new CounterfactualAugmenter(lexicon)).Generate(lexicon.Groups.Count * sets, seed);
        }
        catch (InvalidInputException e)
        {
            throw new InvalidInputException($"the demo corpus cannot plant a gap across attribute '{lexicon.Attribute}': {e.Message}", e);
        }
        var index = lexicon.Groups.Select((group, i) => (group, i)).ToDictionary();
        var random = new Random(seed);
        return [.. prompts.Select(row => new DemoDocument(row.Text, row.Group, Response(index[row.Group], random)))];
    }

    static string Response(int groupIndex, Random random) =>
        " " + string.Join(" ", Slots.Select(slot => slot[random.Next(ChoicesFor(groupIndex, slot.Count))])) + ".";

    static int ChoicesFor(int groupIndex, int slotSize) => groupIndex switch
    {
        0 => LowChoices,
        > 0 => slotSize,
        _ => throw new ArgumentException("the demo corpus has no such group", nameof(groupIndex)),
    };
}
