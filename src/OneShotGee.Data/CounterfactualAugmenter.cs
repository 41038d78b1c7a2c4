using System.Text;
using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>
/// Counterfactual data augmentation (Zhao et al. 2018, WinoBias; Lu et al. 2020): each gendered row gets a twin
/// with every lexicon word swapped for its counterpart in the other group ("He paid his sister" → "She paid her brother"),
/// keeping the case pattern of the original word (he → she, He → She, HE → SHE).
/// </summary>
public sealed class CounterfactualAugmenter
{
    public const string Source = "counterfactual";

    readonly Lexicon _lexicon;
    readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _swaps;
    readonly Dictionary<string, AmbiguousSwap>.AlternateLookup<ReadOnlySpan<char>> _ambiguous;

    [ThreadStatic] static StringBuilder? s_builder;

    /// <exception cref="InvalidInputException">The lexicon has not two groups, or a word has no counterpart.</exception>
    public CounterfactualAugmenter(Lexicon lexicon)
    {
        if (lexicon.Groups.Count != 2)
            throw new InvalidInputException(
                $"counterfactual augmentation needs a lexicon of two groups; lexicon '{lexicon.Id}' has {lexicon.Groups.Count}");
        _lexicon = lexicon;
        var swaps = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in lexicon.Pairs)
        {
            swaps.TryAdd(pair.First, pair.Second);
            swaps.TryAdd(pair.Second, pair.First);
        }
        var ambiguous = new Dictionary<string, AmbiguousSwap>(lexicon.Ambiguous, StringComparer.OrdinalIgnoreCase);
        foreach (var word in lexicon.Groups.SelectMany(g => lexicon.Words[g]))
            if (!swaps.ContainsKey(word) && !ambiguous.ContainsKey(word))
                throw new InvalidInputException(
                    $"lexicon '{lexicon.Id}': word '{word}' has no counterpart in \"pairs\" or \"ambiguous\", so it cannot be swapped");
        _swaps = swaps.GetAlternateLookup<ReadOnlySpan<char>>();
        _ambiguous = ambiguous.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The group a twin of a <paramref name="group"/> row belongs to.</summary>
    public string Counterpart(string group) => group == _lexicon.Groups[0] ? _lexicon.Groups[1] : _lexicon.Groups[0];

    /// <summary>The text with every lexicon word swapped; the same instance when it has none.</summary>
    public string Swap(string text)
    {
        var span = text.AsSpan();
        StringBuilder? output = null;
        var copied = 0;
        for (var pos = 0; Words.TryNext(span, pos, out var start, out var end); pos = end)
        {
            var word = span[start..end];
            string? replacement;
            if (_ambiguous.TryGetValue(word, out var choice))
            {
                var determines = choice.OtherStandsAlone ? !PronounContext.StandsAlone(span, end) : PronounContext.IsDeterminer(span, start, end);
                replacement = determines ? choice.Determiner : choice.Other;
            }
            else if (!_swaps.TryGetValue(word, out replacement)) continue;

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

    /// <summary>Each row followed by its twin: id <c>{id}-cf</c>, the other group, the row's pair id, source <c>counterfactual</c>.</summary>
    public IEnumerable<PreparedRow> Augment(IEnumerable<PreparedRow> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
            yield return new PreparedRow(row.Id + "-cf", Swap(row.Text), Counterpart(row.Group), row.PairId, Source);
        }
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
