namespace OneShotGee.Data;

/// <summary>Rows labelled by <see cref="GroupDetector.Label"/>; <c>Counts</c> has every group plus <c>neutral</c>.</summary>
public sealed record Detection(IReadOnlyList<PreparedRow> Rows, IReadOnlyDictionary<string, int> Counts);

/// <summary>
/// Assigns a text to the group whose lexicon words it uses most (whole words, case-insensitive);
/// a tie, including no lexicon word at all, leaves it neutral.
/// </summary>
public sealed class GroupDetector
{
    public const string Neutral = "neutral";

    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _groupIndex;

    public GroupDetector(Lexicon lexicon)
    {
        Lexicon = lexicon;
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var g = 0; g < lexicon.Groups.Count; g++)
            foreach (var word in lexicon.Words[lexicon.Groups[g]]) index.Add(word, g);
        _groupIndex = index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public Lexicon Lexicon { get; }

    /// <summary>The majority group of the text's lexicon words, or null when neutral.</summary>
    public string? Detect(ReadOnlySpan<char> text)
    {
        Span<int> counts = stackalloc int[Lexicon.Groups.Count];
        for (var pos = 0; Words.TryNext(text, pos, out var start, out var end); pos = end)
            if (_groupIndex.TryGetValue(text[start..end], out var g)) counts[g]++;

        var best = -1;
        var tie = false;
        for (var g = 0; g < counts.Length; g++)
        {
            if (counts[g] == 0) continue;
            if (best < 0 || counts[g] > counts[best]) (best, tie) = (g, false);
            else if (counts[g] == counts[best]) tie = true;
        }
        return best < 0 || tie ? null : Lexicon.Groups[best];
    }

    /// <summary>
    /// Detects each text's group and keeps the non-neutral ones as rows: id = the text's 0-based index,
    /// pair_id = its own id (a row without a counterfactual twin is a pair of one), source = <paramref name="source"/>.
    /// </summary>
    public Detection Label(IReadOnlyList<string> texts, string source, CancellationToken ct = default)
    {
        var counts = Lexicon.Groups.Append(Neutral).ToDictionary(g => g, _ => 0);
        var rows = new List<PreparedRow>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (i % 4096 == 0) ct.ThrowIfCancellationRequested();
            var group = Detect(texts[i]) ?? Neutral;
            counts[group]++;
            if (group == Neutral) continue;
            var id = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(new PreparedRow(id, texts[i], group, id, source));
        }
        return new Detection(rows, counts);
    }
}
