using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// Applies a tokenizer.json <c>Split</c> regex (behaviour "Isolated": matches and the gaps between them become
/// pieces) per Unicode scalar value, after cutting out special tokens. .NET's Regex sees UTF-16 code units, so
/// <c>\p{L}</c> would not match a letter outside the BMP such as 𝑫 or 𠮷; each such scalar is therefore replaced
/// by a BMP stand-in of the same general category before matching, and the offsets are mapped back.
/// </summary>
public sealed class ScalarValueRegexPreTokenizer : PreTokenizer
{
    // HF tokenizers' ByteLevel pre-tokenizer with use_regex = true (the GPT-2 split rules).
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    static readonly char[] StandInByCategory = FindStandIns();

    readonly Regex _split;
    readonly SpecialTokenSplitter _specialTokens;

    /// <exception cref="ArgumentException">The pattern is not a valid .NET regex, or names a character outside the BMP.</exception>
    public ScalarValueRegexPreTokenizer(string pattern, SpecialTokenSplitter specialTokens)
    {
        if (pattern.Any(char.IsSurrogate))
            throw new ArgumentException($"split pattern '{pattern}' names characters outside the BMP, which it cannot match per scalar value");
        _split = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _specialTokens = specialTokens;
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int, int)>();
        foreach (var (offset, length, isSpecial) in _specialTokens.Split(text))
        {
            if (isSpecial) pieces.Add((offset, length));
            else SplitPlainText(text.Slice(offset, length), offset, pieces);
        }
        return pieces;
    }

    void SplitPlainText(ReadOnlySpan<char> text, int origin, List<(int, int)> pieces)
    {
        if (!text.ContainsAnyInRange('\uD800', '\uDBFF'))
        {
            AddPieces(text, origin, sourceIndex: null, pieces);
            return;
        }
        var standIns = new char[text.Length];
        var sourceIndex = new int[text.Length + 1];
        var count = 0;
        for (var i = 0; i < text.Length; count++)
        {
            sourceIndex[count] = i;
            if (Rune.DecodeFromUtf16(text[i..], out var rune, out var used) == OperationStatus.Done && !rune.IsBmp)
                standIns[count] = StandInByCategory[(int)Rune.GetUnicodeCategory(rune)];
            else
                standIns[count] = text[i]; // a BMP char, or a lone surrogate kept as it is
            i += Math.Max(used, 1);
        }
        sourceIndex[count] = text.Length;
        AddPieces(standIns.AsSpan(0, count), origin, sourceIndex, pieces);
    }

    void AddPieces(ReadOnlySpan<char> text, int origin, int[]? sourceIndex, List<(int, int)> pieces)
    {
        var end = 0;
        foreach (var match in _split.EnumerateMatches(text))
        {
            if (match.Length == 0) continue;
            if (match.Index > end) Add(end, match.Index);
            Add(match.Index, match.Index + match.Length);
            end = match.Index + match.Length;
        }
        if (end < text.Length) Add(end, text.Length);

        void Add(int start, int stop)
        {
            var from = sourceIndex?[start] ?? start;
            var to = sourceIndex?[stop] ?? stop;
            pieces.Add((origin + from, to - from));
        }
    }

    // The first non-ASCII BMP char of each general category whose case mappings stay non-ASCII, so that a
    // case-insensitive literal such as (?i:'s) cannot match a stand-in.
    static char[] FindStandIns()
    {
        var standIns = new char[Enum.GetValues<UnicodeCategory>().Length];
        for (int c = 0xA0; c <= 0xFFFF; c++)
        {
            var ch = (char)c;
            var category = (int)char.GetUnicodeCategory(ch);
            if (standIns[category] == '\0' && char.ToUpperInvariant(ch) >= 0x80 && char.ToLowerInvariant(ch) >= 0x80)
                standIns[category] = ch;
        }
        return standIns;
    }
}
