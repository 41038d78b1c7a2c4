using System.Text;
using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>
/// Counterfactual data augmentation (Zhao et al. 2018, WinoBias; Lu et al. 2020), generalised from twins to K groups:
/// a row of group g gets one variant per other group h, made by exchanging the words of g and h both ways along the
/// lexicon's slots ("He paid his sister" → female: "She paid her brother", nonbinary: "They paid their sister"), words of
/// any third group left as they are, each keeping the case pattern of the original word (he → she, He → She, HE → SHE).
/// Exchanging both ways makes h the variant's majority whenever g was the row's (detection counts swap with the words).
/// </summary>
public sealed class CounterfactualAugmenter
{
    public const string Source = "counterfactual";

    readonly Lexicon _lexicon;
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _owner;
    // word → its counterpart in each group (by group index; null for its own group)
    readonly Dictionary<string, string?[]>.AlternateLookup<ReadOnlySpan<char>> _counterparts;
    readonly Dictionary<string, AmbiguousSwap?[]>.AlternateLookup<ReadOnlySpan<char>> _ambiguous;

    [ThreadStatic] static StringBuilder? s_builder;

    /// <exception cref="InvalidInputException">A word of the lexicon has no counterpart in some other group.</exception>
    public CounterfactualAugmenter(Lexicon lexicon)
    {
        _lexicon = lexicon;
        var groups = lexicon.Groups;
        var owner = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var g = 0; g < groups.Count; g++)
            foreach (var word in lexicon.Words[groups[g]]) owner.Add(word, g);
        var counterparts = owner.Keys.ToDictionary(w => w, _ => new string?[groups.Count], StringComparer.OrdinalIgnoreCase);
        foreach (var slot in lexicon.Slots)
            for (var g = 0; g < groups.Count; g++)
                if (counterparts.TryGetValue(slot[groups[g]], out var targets) && owner[slot[groups[g]]] == g)
                    for (var h = 0; h < groups.Count; h++)
                        if (h != g) targets[h] ??= slot[groups[h]]; // a word in several slots swaps along its first
        var ambiguous = lexicon.Ambiguous.ToDictionary(a => a.Key,
            a => groups.Select(g => a.Value.GetValueOrDefault(g)).ToArray(), StringComparer.OrdinalIgnoreCase);
        foreach (var (word, g) in owner)
            for (var h = 0; h < groups.Count; h++)
                if (h != g && counterparts[word][h] is null && !ambiguous.ContainsKey(word))
                    throw new InvalidInputException(
                        $"lexicon '{lexicon.Id}': word '{word}' of group '{groups[g]}' has no counterpart in group '{groups[h]}' " +
                        "(\"slots\", \"pairs\" or \"ambiguous\"), so it cannot be swapped");
        _owner = owner.GetAlternateLookup<ReadOnlySpan<char>>();
        _counterparts = counterparts.GetAlternateLookup<ReadOnlySpan<char>>();
        _ambiguous = ambiguous.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The text with the words of groups <paramref name="from"/> and <paramref name="to"/> exchanged; the same
    /// instance when it has none.</summary>
    public string Swap(string text, string from, string to)
    {
        var (g, h) = (IndexOf(from), IndexOf(to));
        var span = text.AsSpan();
        StringBuilder? output = null;
        var copied = 0;
        for (var pos = 0; Words.TryNext(span, pos, out var start, out var end); pos = end)
        {
            var word = span[start..end];
            if (!_owner.TryGetValue(word, out var group) || (group != g && group != h)) continue;
            var target = group == g ? h : g;
            string replacement;
            if (_ambiguous.TryGetValue(word, out var choices) && choices[target] is { } choice)
            {
                var determines = choice.OtherStandsAlone ? !PronounContext.StandsAlone(span, end) : PronounContext.IsDeterminer(span, start, end);
                replacement = determines ? choice.Determiner : choice.Other;
            }
            else replacement = _counterparts[word][target]!;

            output ??= (s_builder ??= new StringBuilder()).Clear();
            output.Append(span[copied..start]);
            AppendInCaseOf(output, word, replacement);
            copied = end;
        }
        if (output is null) return text;
        output.Append(span[copied..]);
        var swapped = output.ToString();
        if (output.Capacity > 1 << 16) output.Capacity = 1 << 16;
        return swapped;
    }

    /// <summary>The text of a <paramref name="group"/> row as it reads in each other group, in lexicon order.</summary>
    public IEnumerable<(string Group, string Text)> Variants(string text, string group) =>
        _lexicon.Groups.Where(h => h != group).Select(h => (h, Swap(text, group, h)));

    /// <summary>Each row followed by its variant in every other group: the row's pair id, source <c>counterfactual</c>,
    /// id <c>{id}-cf</c> with two groups, <c>{id}-cf-{group}</c> with more.</summary>
    public IEnumerable<PreparedRow> Augment(IEnumerable<PreparedRow> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
            foreach (var (group, text) in Variants(row.Text, row.Group))
                yield return new PreparedRow(_lexicon.Groups.Count == 2 ? row.Id + "-cf" : $"{row.Id}-cf-{group}", text, group, row.PairId, Source);
        }
    }

    int IndexOf(string group)
    {
        for (var g = 0; g < _lexicon.Groups.Count; g++)
            if (_lexicon.Groups[g] == group) return g;
        throw new InvalidInputException($"group '{group}' is not one of lexicon '{_lexicon.Id}': {string.Join(", ", _lexicon.Groups)}");
    }

    static void AppendInCaseOf(StringBuilder output, ReadOnlySpan<char> original, string replacement)
    {
        if (original.Length > 1 && IsAllUpper(original))
            foreach (var c in replacement) output.Append(char.ToUpperInvariant(c));
        else if (char.IsUpper(original[0]))
            output.Append(char.ToUpperInvariant(replacement[0])).Append(replacement.AsSpan(1));
        else output.Append(replacement);
    }

    static bool IsAllUpper(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
            if (!char.IsUpper(c)) return false;
        return true;
    }
}
