using System.Text;
using System.Text.RegularExpressions;

namespace OneShotGee.Evaluation.Retention;

/// <summary>
/// Rewrites a final answer to a canonical string, in the spirit of <c>strip_string</c> in Qwen2.5-Math's evaluation:
/// notation that does not change the value goes (<c>$</c>, spacing commands, <c>\left</c>/<c>\right</c>, <c>\dfrac</c>,
/// degrees, a trailing unit in <c>\text{}</c> or in words after a number, a trailing period, a leading single-variable
/// assignment such as <c>x =</c>, thousands separators, spaces), and what remains is spelled one way
/// (<c>\frac{1}{2}</c>, <c>\sqrt{2}</c>, <c>0.5</c>, <c>x^2</c>). A percent sign stays, as <c>%</c>: it changes the value.
/// Unlike the reference, <c>\sqrt23</c> reads as TeX does (<c>\sqrt{2}3</c>), and bare words are only dropped as a
/// unit after a number: its list of MathQA unit words would also remove the <c>a</c> of <c>(a+5)(b+2)</c>.
/// </summary>
public static partial class LatexNormalizer
{
    public static string Normalize(string answer)
    {
        var s = answer.Trim().Replace("\n", "").Replace("\r", "").Replace('\u2212', '-').TrimEnd('.');
        s = s.Replace(@"\$", "").Replace("$", "").Replace(@"\(", "").Replace(@"\)", "");
        s = RemoveSpacing(s);
        s = Delimiters().Replace(NullDelimiter().Replace(s, ""), "");
        s = FracVariant().Replace(s, @"\frac").Replace(@"\displaystyle", "");
        s = s.Replace(@"\neq", @"\ne").Replace(@"\leq", @"\le").Replace(@"\geq", @"\ge");
        s = s.Replace("bmatrix", "pmatrix").Replace(@"\{", "{").Replace(@"\}", "}");
        s = Degrees().Replace(s, "");
        s = s.Replace(@"\%", "%");
        s = RemoveUnits(s);
        s = Unwrap(s);
        s = Whitespace().Replace(s, "").TrimEnd('.');
        s = s.Replace(@"\emptyset", "{}").Replace(@"\varnothing", "{}").Replace("∞", @"\infty");
        s = Infinity().Replace(s, @"\infty").Replace(@"(-\infty,\infty)", @"\mathbb{R}");
        s = BareLeadingPoint().Replace(s, "0.");
        s = TrailingZeroDecimals().Replace(s, "$1");
        s = LatexText.BraceArguments(s);
        s = SingleTokenScript().Replace(s, "$1$2");
        s = ThousandsSeparated().IsMatch(s) ? s.Replace(",", "") : s;
        return StripAssignment(s);
    }

    /// <summary>
    /// Drops a leading <c>x =</c>, <c>k=</c>, <c>x_1 =</c>, <c>\theta =</c> or <c>x \in</c> from a normalised answer
    /// (one variable on the left, no other <c>=</c>): the grader compares the value, not the name.
    /// </summary>
    public static string StripAssignment(string normalized)
    {
        var m = Assignment().Match(normalized);
        return m.Success && !m.Groups["value"].Value.Contains('=') ? m.Groups["value"].Value : normalized;
    }

    // \! \, \; \: \> and "\ " are spacing; "\\" (a matrix row break) is kept whole.
    static string RemoveSpacing(string s)
    {
        var result = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                if (s[i + 1] == '\\') { result.Append(@"\\"); i++; continue; }
                if ("!,;:> ".Contains(s[i + 1])) { result.Append(' '); i++; continue; }
            }
            result.Append(s[i] == '~' ? ' ' : s[i]);
        }
        return QuadSpacing().Replace(result.ToString(), " ");
    }

    // "5\text{ cm}", "864 \mbox{ inches}^2", "5.4 cents", "18 square feet": the unit goes when something is left.
    static string RemoveUnits(string s)
    {
        var withoutText = TrailingTextUnit().Replace(s, "").Trim();
        if (withoutText.Length > 0 && withoutText != s.Trim()) s = withoutText;
        var m = NumberThenWords().Match(s);
        return m.Success ? m.Groups["number"].Value : s;
    }

    static string Unwrap(string s)
    {
        for (var previous = ""; previous != s;) (previous, s) = (s, TextWrapper().Replace(s, "${content}"));
        return s;
    }

    [GeneratedRegex(@"\\q?quad(?![a-zA-Z])")]
    private static partial Regex QuadSpacing();

    [GeneratedRegex(@"\\(?:left|right)\.")]
    private static partial Regex NullDelimiter();

    [GeneratedRegex(@"\\(?:left|right|[bB]igg?[lr]?)(?![a-zA-Z])")]
    private static partial Regex Delimiters();

    [GeneratedRegex(@"\\[dtc]frac(?![a-zA-Z])")]
    private static partial Regex FracVariant();

    [GeneratedRegex(@"\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|°|\\degree(?![a-zA-Z])")]
    private static partial Regex Degrees();

    [GeneratedRegex(@"\\(?:text|mbox|textrm|textnormal)\s*\{[^{}]*\}(?:\^\{?\d\}?)?\s*$")]
    private static partial Regex TrailingTextUnit();

    // Magnitude words and conjunctions change the number ("5 million", "12 and a half"): they are never a unit.
    [GeneratedRegex(@"^(?<number>[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+))\s+(?!(?:hundred|thousand|million|billion|trillion|dozen|half|quarter|and|or|plus|minus|times)\b)(?<unit>(?:[a-zA-Z]{3,}|cm|mm|km|ft|kg|lb|oz|mi|yd|hr)(?:\s+(?!(?:and|or|plus|minus|times)\b)[a-zA-Z]+)*)(?:\^\{?\d\}?)?$")]
    private static partial Regex NumberThenWords();

    [GeneratedRegex(@"\\(?:text|textbf|textrm|textit|textnormal|mathrm|mathbf|mathit|mbox|operatorname)\s*\{(?<content>[^{}]*)\}")]
    private static partial Regex TextWrapper();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<!\\)\binf(?:inity)?\b")]
    private static partial Regex Infinity();

    [GeneratedRegex(@"(?<![\d\w}])\.(?=\d)")]
    private static partial Regex BareLeadingPoint();

    // 18.0 → 18 and 2.00x → 2x, as the reference does; "1.05" keeps its zero.
    [GeneratedRegex(@"(\d)\.0*(?![\d])")]
    private static partial Regex TrailingZeroDecimals();

    [GeneratedRegex(@"([\^_])\{([^{}\\])\}")]
    private static partial Regex SingleTokenScript();

    [GeneratedRegex(@"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?$")]
    private static partial Regex ThousandsSeparated();

    [GeneratedRegex(@"^(?:[a-zA-Z](?:_\{?[a-zA-Z0-9]+\}?)?|\\[a-zA-Z]+)(?:=|\\in(?![a-zA-Z])|\\to(?![a-zA-Z]))(?<value>.+)$")]
    private static partial Regex Assignment();
}
