using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Training.DemoModel;

/// <summary>A byte-level BPE vocabulary: the 256 byte characters (ids 0–255 by byte value), then one token per merge.</summary>
public sealed record BpeVocabulary(IReadOnlyList<string> Tokens, IReadOnlyList<(string Left, string Right)> Merges);

/// <summary>
/// Learns byte-level BPE merges the way GPT-2's tokenizer was trained (Sennrich et al. 2016, "Neural Machine
/// Translation of Rare Words with Subword Units"): split the text into pre-tokens with Qwen2's rule, then merge the
/// most frequent adjacent pair (ties: the ordinally smallest) until every pre-token is one token. Encoding a
/// training word replays its merges in rank order, so each word of the corpus encodes as a single id.
/// </summary>
public static class ByteLevelBpeTrainer
{
    // Qwen2's tokenizer.json Split regex: contractions, letters with one leading non-letter, single digits, punctuation runs, whitespace.
    public const string SplitPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static BpeVocabulary Train(IEnumerable<string> texts)
    {
        var words = CountPreTokens(texts).Select(w => (Symbols: w.Key.Select(c => c.ToString()).ToList(), Count: w.Value)).ToList();
        var tokens = Enumerable.Range(0, 256).Select(b => ByteLevelBpeTokenizer.ByteLevelChar((byte)b).ToString()).ToList();
        var known = new HashSet<string>(tokens, StringComparer.Ordinal);
        var merges = new List<(string, string)>();
        while (MostFrequentPair(words) is { } pair)
        {
            merges.Add(pair);
            // Two merge orders can build the same string (ab+c, a+bc); the vocabulary holds it once.
            if (known.Add(pair.Left + pair.Right)) tokens.Add(pair.Left + pair.Right);
            foreach (var (symbols, _) in words) Merge(symbols, pair);
        }
        return new BpeVocabulary(tokens, merges);
    }

    static Dictionary<string, int> CountPreTokens(IEnumerable<string> texts)
    {
        var preTokenizer = new ScalarValueRegexPreTokenizer(SplitPattern, new SpecialTokenSplitter([]));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var (offset, length) in preTokenizer.PreTokenize(text))
            {
                var word = ByteLevelBpeTokenizer.ByteLevelForm(text.Substring(offset, length));
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        return counts;
    }

    static (string Left, string Right)? MostFrequentPair(List<(List<string> Symbols, int Count)> words)
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var (symbols, count) in words)
            for (var i = 0; i + 1 < symbols.Count; i++)
                counts[(symbols[i], symbols[i + 1])] = counts.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
        if (counts.Count == 0) return null;
        var most = counts.Values.Max();
        return counts.Where(c => c.Value == most).Select(c => c.Key).Min(PairOrder.Instance);
    }

    static void Merge(List<string> symbols, (string Left, string Right) pair)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
            if (symbols[i] == pair.Left && symbols[i + 1] == pair.Right)
            {
                symbols[i] = pair.Left + pair.Right;
                symbols.RemoveAt(i + 1);
            }
    }

    sealed class PairOrder : IComparer<(string Left, string Right)>
    {
        public static readonly PairOrder Instance = new();
        public int Compare((string Left, string Right) x, (string Left, string Right) y) =>
            string.CompareOrdinal(x.Left, y.Left) is var c and not 0 ? c : string.CompareOrdinal(x.Right, y.Right);
    }
}
