using System.Text.RegularExpressions;

namespace OneShotGee.Evaluation.Retention;

/// <summary>
/// The final answer of a worked solution, tried in order: the text after the last <c>####</c> (GSM8K), the content of
/// the last <c>\boxed{…}</c> or <c>\fbox{…}</c> (MATH, nested braces kept), else the last number in the text.
/// </summary>
public static partial class AnswerExtractor
{
    public static string? Extract(string text)
    {
        var hashes = text.LastIndexOf("####", StringComparison.Ordinal);
        if (hashes >= 0)
        {
            var rest = text[(hashes + 4)..].Trim();
            var line = rest.Split('\n')[0].Trim();
            if (line.Length > 0) return line;
        }
        return Boxed(text) ?? LastNumber(text);
    }

    /// <summary>The content of the last <c>\boxed{…}</c> (or <c>\fbox{…}</c>), or null when there is none or it is unclosed.</summary>
    public static string? Boxed(string text)
    {
        var start = Math.Max(text.LastIndexOf(@"\boxed", StringComparison.Ordinal), text.LastIndexOf(@"\fbox", StringComparison.Ordinal));
        if (start < 0) return null;
        var open = text.IndexOf('{', start);
        // "\boxed 5" (no braces) boxes the next token.
        if (open < 0 || text[start..open].Trim() is not (@"\boxed" or @"\fbox"))
            return BoxedToken().Match(text, start) is { Success: true } m ? m.Groups[1].Value : null;
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text[(open + 1)..i].Trim();
        }
        return null;
    }

    static string? LastNumber(string text) =>
        Number().Matches(text) is { Count: > 0 } matches ? matches[^1].Value.TrimEnd(',') : null;

    [GeneratedRegex(@"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\\(?:boxed|fbox) +([^\s$]+)")]
    private static partial Regex BoxedToken();
}
