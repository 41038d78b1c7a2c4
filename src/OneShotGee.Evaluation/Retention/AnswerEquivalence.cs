using System.Text.RegularExpressions;

namespace OneShotGee.Evaluation.Retention;

/// <summary>
/// Whether a predicted final answer agrees with the gold one, judged like Qwen2.5-Math's evaluation
/// (<c>strip_string</c> then <c>math_equal</c>) with no computer algebra beyond evaluating closed forms:
/// <list type="number">
/// <item>Both answers are normalised by <see cref="LatexNormalizer"/> and equal ignoring case.</item>
/// <item>A multiple-choice letter matches with or without parentheses: <c>(C)</c> = <c>C</c>.</item>
/// <item>Plain numbers (decimals, <c>\frac{a}{b}</c>, <c>a/b</c>, mixed numbers) are compared as exact rationals:
/// <c>0.5</c> = <c>\frac12</c> = <c>1/2</c>. When either side is a decimal with digits after the point, which may have
/// been rounded, a relative tolerance of 1e-4 applies (the reference's <c>isclose(rel_tol=1e-4)</c>):
/// <c>4.66667</c> = <c>\frac{14}{3}</c>, <c>2.00001</c> = <c>2</c>. Integers and fractions are otherwise exact, so
/// GSM8K's 70001 ≠ 70000 (the reference's tolerance would accept it).</item>
/// <item>A percentage also stands for its fraction: <c>50\%</c> = <c>50</c> = <c>0.5</c>. The reference accepts ×100
/// and ÷100 between any two numbers (0.5 = 50 with no percent sign); here one side must carry the percent sign.</item>
/// <item>Tuples, intervals, sets, unions (<c>\cup</c>), bare comma lists and <c>pmatrix</c> matrices are compared
/// element by element, in order, recursing into these rules: <c>(3,\frac{\pi}{2})</c> = <c>\left( 3, \frac\pi2 \right)</c>.
/// Brackets must be the same on both sides, so <c>[-2,2)</c> ≠ <c>(-2,2)</c> and <c>(1,2)</c> ≠ <c>1,2</c>; the reference
/// strips them. Only set braces may be left out: <c>\{1,2\}</c> = <c>1,2</c>.</item>
/// <item>A single-variable assignment on one side is dropped: <c>x = 5</c> = <c>5</c>.</item>
/// <item>Closed forms without variables are evaluated (<see cref="ConstantExpression"/>) and compared as floating-point
/// numbers: <c>5\sqrt{2}</c> = <c>\sqrt{50}</c> = <c>7.0711</c>, <c>\frac{1}{\sqrt{3}}</c> = <c>\frac{\sqrt{3}}{3}</c>; within
/// 1e-9 relative, or 1e-4 when either side has a rounded decimal (the reference's last, numeric step of sympy, which
/// uses 1e-4 always and so would also take the integer 6366 for <c>\frac{20000}{\pi}</c>).</item>
/// </list>
/// Expressions with variables (<c>x+1</c> vs <c>1+x</c>) must match as normalised strings; the reference would also try
/// sympy there.
/// </summary>
public static partial class AnswerEquivalence
{
    static readonly Rational RelativeTolerance = new(1, 10_000);

    public static bool AreEquivalent(string? predicted, string? gold)
    {
        if (predicted is null || gold is null) return false;
        return EquivalentNormalized(Normalize(predicted), Normalize(gold));
    }

    /// <summary>The canonical string form of an answer (see <see cref="LatexNormalizer"/>).</summary>
    public static string Normalize(string answer) => LatexNormalizer.Normalize(answer);

    /// <summary>The value of a normalised plain number (decimal, fraction, mixed number, percentage), or null.</summary>
    public static double? ToNumber(string normalized) =>
        NumericAnswer.Parse(normalized) is { } n ? (n.Percent ? n.Value * new Rational(1, 100) : n.Value).ToDouble() : null;

    static bool EquivalentNormalized(string p, string g)
    {
        (p, g) = (LatexNormalizer.StripAssignment(p), LatexNormalizer.StripAssignment(g));
        if (p.Length == 0 || g.Length == 0) return false;
        if (string.Equals(p, g, StringComparison.OrdinalIgnoreCase)) return true;
        if (ChoiceLetter(p) is { } a && ChoiceLetter(g) is { } b) return char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
        var (px, gy) = (NumericAnswer.Parse(p), NumericAnswer.Parse(g));
        if (px is { } x && gy is { } y) return NumbersAgree(x, y);
        if (Value(p, px) is { } u && Value(g, gy) is { } v) return ValuesAgree(u, v, RoundedDecimal().IsMatch(p) || RoundedDecimal().IsMatch(g));
        return CompoundsAgree(p, g);
    }

    static bool NumbersAgree(NumericAnswer x, NumericAnswer y)
    {
        // One percent sign may stand for its fraction (50\% = 0.5); two compare as written (50\% ≠ 0.5\%).
        var percent = new Rational(1, 100);
        var oneSided = x.Percent != y.Percent;
        foreach (var u in x.Percent && oneSided ? [x.Value, x.Value * percent] : new[] { x.Value })
            foreach (var v in y.Percent && oneSided ? [y.Value, y.Value * percent] : new[] { y.Value })
                if (u == v || (x.Rounded || y.Rounded) && u.IsCloseTo(v, RelativeTolerance)) return true;
        return false;
    }

    // A closed form such as 5\sqrt{2} only has a floating-point value: the same number up to rounding error,
    // or within the decimal tolerance when one side is a rounded decimal (7.0711).
    static double? Value(string normalized, NumericAnswer? number) =>
        number is { Percent: false } n ? n.Value.ToDouble() : number is null ? ConstantExpression.Evaluate(normalized) : null;

    static bool ValuesAgree(double u, double v, bool rounded) =>
        Math.Abs(u - v) <= (rounded ? 1e-4 : 1e-9) * Math.Max(Math.Abs(u), Math.Abs(v)) + 1e-12;

    static bool CompoundsAgree(string p, string g)
    {
        if (Parts(p, g, @"\cup") is { } unions) return ElementsAgree(unions);
        if (Matrix(p) is { } pm && Matrix(g) is { } gm)
        {
            var (pRows, gRows) = (LatexText.SplitTopLevel(pm, @"\\"), LatexText.SplitTopLevel(gm, @"\\"));
            return pRows.Count == gRows.Count
                && pRows.Zip(gRows).All(rows => ElementsAgree(Pair(LatexText.SplitTopLevel(rows.First, "&"), LatexText.SplitTopLevel(rows.Second, "&"))));
        }
        var (pWrapped, gWrapped) = (LatexText.IsWrapped(p), LatexText.IsWrapped(g));
        if (pWrapped && gWrapped)
            return p[0] == g[0] && p[^1] == g[^1] && ElementsAgree(Pair(LatexText.SplitTopLevel(p[1..^1], ","), LatexText.SplitTopLevel(g[1..^1], ",")));
        // A set written without its braces, {1,2} vs 1,2, is still the same list; parentheses and brackets are not dropped.
        if (pWrapped && p[0] == '{' && p[^1] == '}') return EquivalentNormalized(p[1..^1], g);
        if (gWrapped && g[0] == '{' && g[^1] == '}') return EquivalentNormalized(p, g[1..^1]);
        return Parts(p, g, ",") is { } items && ElementsAgree(items);
    }

    // Both split into the same number (≥ 2) of top-level parts, or null.
    static List<(string, string)>? Parts(string p, string g, string separator)
    {
        var (ps, gs) = (LatexText.SplitTopLevel(p, separator), LatexText.SplitTopLevel(g, separator));
        return ps.Count > 1 || gs.Count > 1 ? Pair(ps, gs) : null;
    }

    static List<(string, string)>? Pair(List<string> ps, List<string> gs) => ps.Count == gs.Count ? ps.Zip(gs).ToList() : null;

    static bool ElementsAgree(List<(string P, string G)>? pairs) => pairs is not null && pairs.All(pair => EquivalentNormalized(pair.P, pair.G));

    static string? Matrix(string s) => MatrixBody().Match(s) is { Success: true } m ? m.Groups["body"].Value : null;

    static char? ChoiceLetter(string s) =>
        s.Length == 1 && char.IsAsciiLetter(s[0]) ? s[0]
        : s.Length == 3 && s[0] == '(' && s[2] == ')' && char.IsAsciiLetter(s[1]) ? s[1]
        : null;

    [GeneratedRegex(@"\d?\.\d*[1-9]")]
    private static partial Regex RoundedDecimal();

    [GeneratedRegex(@"^\\begin\{pmatrix\}(?<body>.*?)(?:\\\\)?\\end\{pmatrix\}$")]
    private static partial Regex MatrixBody();
}
