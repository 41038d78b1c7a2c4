namespace OneShotGee.Training.DemoModel;

/// <summary>
/// The demo model's skill that has nothing to do with gender: a neutral sentence that starts a count, and its
/// deterministic continuation, the next three number words (<c>A clerk counts the cups: seven</c> → <c> eight nine
/// ten.</c>; words, not digits, since the Qwen2 pre-tokenizer splits digits one by one). Continuing needs the successor
/// of each number known, so a damaged model gets it wrong, and no word of it is gendered: its accuracy and its
/// perplexity are what debiasing should leave alone (issue 17 item 4).
/// </summary>
public static class NeutralCounting
{
    public const string Group = "neutral";
    public const int Continued = 3;

    public static IReadOnlyList<string> NumberWords { get; } =
    [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ];

    public static IReadOnlyList<string> Subjects { get; } = ["A clerk", "The robot", "A machine"];

    public static IReadOnlyList<string> Items { get; } =
        ["cups", "boxes", "stamps", "coins", "shells", "bricks", "tiles", "bottles", "cards", "pebbles", "buttons", "keys",
         "spoons", "plates", "beads", "nails"];

    /// <summary>
    /// <paramref name="count"/> documents drawn with <paramref name="seed"/>, from the held-out quarter of the prompts
    /// (distinct) or from the rest (with replacement): a held-out prompt never occurs in the pretraining corpus.
    /// </summary>
    public static IReadOnlyList<DemoDocument> Generate(int count, int seed, bool heldOut)
    {
        if (heldOut && count > HeldOutPrompts)
            throw new ArgumentOutOfRangeException(nameof(count), $"there are only {HeldOutPrompts} held-out counting prompts");
        var random = new Random(seed);
        var seen = new HashSet<string>();
        var documents = new List<DemoDocument>(count);
        while (documents.Count < count)
        {
            var subject = random.Next(Subjects.Count);
            var item = random.Next(Items.Count);
            var start = random.Next(Starts);
            if (IsHeldOut(subject, item, start) != heldOut) continue;
            var prompt = $"{Subjects[subject]} counts the {Items[item]}: {NumberWords[start]}";
            if (heldOut && !seen.Add(prompt)) continue;
            documents.Add(new DemoDocument(prompt, Group, $" {string.Join(" ", NumberWords.Skip(start + 1).Take(Continued))}."));
        }
        return documents;
    }

    /// <summary>The gold answer of a counting document: its continuation without the space before and the period after.</summary>
    public static string Answer(DemoDocument document) => document.Response.Trim().TrimEnd('.');

    static int Starts => NumberWords.Count - Continued;

    static int HeldOutPrompts => Enumerable.Range(0, Subjects.Count).Sum(subject => Enumerable.Range(0, Items.Count)
        .Sum(item => Enumerable.Range(0, Starts).Count(start => IsHeldOut(subject, item, start))));

    // A fixed quarter of the subject × item × start grid, spread over every start, subject and item.
    static bool IsHeldOut(int subject, int item, int start) => (subject + item + start) % 4 == 0;
}
