using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace OneShotGee.Evaluation.Retention;

/// <summary>
/// The exact value of a normalised answer that is a plain number: a decimal (<c>-0.75</c>), <c>\frac{a}{b}</c>,
/// <c>a/b</c> (a, b decimals), or a mixed number <c>1\frac{4}{5}</c>, optionally followed by <c>%</c>.
/// <see cref="Rounded"/> marks a decimal with non-zero digits after the point: such a literal may have been
/// rounded (4.66667 for 14/3), so it is compared with a tolerance.
/// </summary>
public readonly partial record struct NumericAnswer(Rational Value, bool Rounded, bool Percent)
{
    public static NumericAnswer? Parse(string normalized)
    {
        var percent = normalized.EndsWith('%');
        var s = percent ? normalized[..^1] : normalized;
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+')) s = s[1..];
        if (Unsigned(s) is not { } unsigned) return null;
        return new NumericAnswer(negative ? -unsigned.Value : unsigned.Value, unsigned.Rounded, percent);
    }

    static (Rational Value, bool Rounded)? Unsigned(string s)
    {
        if (Decimal(s) is { } plain) return plain;
        var m = Fraction().Match(s);
        if (!m.Success) return null;
        if (Signed(m.Groups["n"].Value) is not { } n || Decimal(m.Groups["d"].Value) is not { } d) return null;
        if (Rational.Divide(n.Value, d.Value) is not { } quotient) return null;
        var rounded = n.Rounded || d.Rounded;
        if (!m.Groups["whole"].Success) return (quotient, rounded);
        // A mixed number: 1\frac{4}{5} is 9/5 (a proper fraction after a whole number, as MATH writes them).
        if (quotient.Numerator.Sign < 0 || quotient.CompareTo(Rational.FromInteger(BigInteger.One)) >= 0) return null;
        var whole = Rational.FromInteger(BigInteger.Parse(m.Groups["whole"].Value, CultureInfo.InvariantCulture));
        return (whole + quotient, rounded);
    }

    static (Rational Value, bool Rounded)? Signed(string s) =>
        s.StartsWith('-') && Decimal(s[1..]) is { } magnitude ? (-magnitude.Value, magnitude.Rounded) : Decimal(s);

    static (Rational Value, bool Rounded)? Decimal(string s) =>
        DecimalLiteral().IsMatch(s) && Rational.ParseDecimal(s) is { } value
            ? (value, s.Contains('.') && !value.IsInteger)
            : null;

    [GeneratedRegex(@"^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")]
    private static partial Regex DecimalLiteral();

    [GeneratedRegex(@"^(?:(?<whole>\d+)?\\frac\{(?<n>-?[\d.]+)\}\{(?<d>[\d.]+)\}|(?<n>[\d.]+)/(?<d>[\d.]+))$")]
    private static partial Regex Fraction();
}
