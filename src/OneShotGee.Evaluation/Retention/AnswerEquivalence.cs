using System.Globalization;
using System.Text.RegularExpressions;

namespace OneShotGee.Evaluation.Retention;

/// <summary>
/// Whether two final answers agree: equal after normalisation (no <c>$</c>, spaces, <c>\left</c>/<c>\right</c>,
/// <c>\text{}</c> wrappers, degree and percent signs, thousands separators, trailing <c>.0</c>), or both numbers
/// (decimals, <c>a/b</c>, <c>\frac{a}{b}</c>) equal: exactly when both are integers, else within a relative
/// tolerance of 1e-4 (as Qwen2.5-Math's grader).
/// </summary>
public static partial class AnswerEquivalence
{
    const double RelativeTolerance = 1e-4;

    public static bool AreEquivalent(string? predicted, string? gold)
    {
        if (predicted is null || gold is null) return false;
        var (p, g) = (Normalize(predicted), Normalize(gold));
        if (p.Length == 0 || g.Length == 0) return false;
        if (p == g) return true;
        if (ToNumber(p) is not { } x || ToNumber(g) is not { } y) return false;
        // Integers (all GSM8K answers) must match exactly: 70000 vs 70001 is within 1e-4 but wrong.
        if (double.IsInteger(x) && double.IsInteger(y)) return x == y;
        return Math.Abs(x - y) <= RelativeTolerance * Math.Max(Math.Abs(x), Math.Abs(y));
    }

    /// <summary>The canonical string form of an answer.</summary>
    public static string Normalize(string answer)
    {
        var s = TextWrapper().Replace(answer, "$1");
        foreach (var noise in new[] { @"\left", @"\right", @"\!", @"\,", @"\;", @"\:", @"\ ", "$", "^{\\circ}", "^\\circ", "\\%", "%", "\\displaystyle" })
            s = s.Replace(noise, "");
        s = s.Replace(@"\dfrac", @"\frac").Replace(@"\tfrac", @"\frac");
        s = Whitespace().Replace(s, "").TrimEnd('.');
        s = ThousandsSeparator().Replace(s, "");
        return TrailingZeros().Replace(s, "$1");
    }

    /// <summary>The value of a normalised decimal, <c>a/b</c>, <c>\frac{a}{b}</c> or <c>\frac ab</c>, or null.</summary>
    public static double? ToNumber(string normalized)
    {
        if (Decimal(normalized)) return double.Parse(normalized, CultureInfo.InvariantCulture);
        var m = Fraction().Match(normalized);
        if (!m.Success) return null;
        var (num, den) = (double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture));
        if (den == 0) return null;
        return (m.Groups["sign"].Value == "-" ? -1 : 1) * num / den;
    }

    static bool Decimal(string s) => DecimalNumber().IsMatch(s);

    [GeneratedRegex(@"\\(?:text|textbf|mathrm|mbox)\{([^{}]*)\}")]
    private static partial Regex TextWrapper();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    // A comma between digit groups of three is a thousands separator; "(1,2)" keeps its comma.
    [GeneratedRegex(@"(?<=\d),(?=\d{3}(?!\d))")]
    private static partial Regex ThousandsSeparator();

    [GeneratedRegex(@"^(-?\d+)\.0+$")]
    private static partial Regex TrailingZeros();

    [GeneratedRegex(@"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")]
    private static partial Regex DecimalNumber();

    [GeneratedRegex(@"^(?<sign>-?)(?:\\frac\{(?<n>\d+(?:\.\d+)?)\}\{(?<d>\d+(?:\.\d+)?)\}|\\frac(?<n>\d)(?<d>\d)|(?<n>\d+(?:\.\d+)?)/(?<d>\d+(?:\.\d+)?))$")]
    private static partial Regex Fraction();
}
