using System.Text.RegularExpressions;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// Cuts text at occurrences of special (added) tokens, which Hugging Face tokenizers extract before normalizing
/// and pre-tokenizing the text in between. The longest token wins where several start at the same place.
/// </summary>
public sealed class SpecialTokenSplitter
{
    readonly Regex? _tokens;

    public SpecialTokenSplitter(IEnumerable<string> specialTokens)
    {
        var alternatives = specialTokens.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => t.Length).Select(Regex.Escape).ToList();
        if (alternatives.Count > 0)
            _tokens = new Regex(string.Join('|', alternatives), RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    /// <summary>Consecutive pieces covering <paramref name="text"/>, each flagged as special token or plain text.</summary>
    public List<(int Offset, int Length, bool IsSpecial)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int, int, bool)>();
        var position = 0;
        if (_tokens is not null)
        {
            foreach (var match in _tokens.EnumerateMatches(text))
            {
                if (match.Index > position) pieces.Add((position, match.Index - position, false));
                pieces.Add((match.Index, match.Length, true));
                position = match.Index + match.Length;
            }
        }
        if (position < text.Length) pieces.Add((position, text.Length - position, false));
        return pieces;
    }
}
