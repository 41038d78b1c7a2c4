using System.Globalization;
using System.Numerics;

namespace OneShotGee.Evaluation.Retention;

/// <summary>An exact fraction in lowest terms with a positive denominator.</summary>
public readonly record struct Rational
{
    public BigInteger Numerator { get; }
    public BigInteger Denominator { get; }

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("a rational needs a non-zero denominator");
        if (denominator.Sign < 0) (numerator, denominator) = (-numerator, -denominator);
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        (Numerator, Denominator) = gcd.IsOne || gcd.IsZero ? (numerator, denominator) : (numerator / gcd, denominator / gcd);
    }

    public static Rational FromInteger(BigInteger value) => new(value, BigInteger.One);

    public bool IsInteger => Denominator.IsOne;

    public static Rational operator +(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) => a + -b;

    public static Rational operator -(Rational a) => new(-a.Numerator, a.Denominator);

    public static Rational operator *(Rational a, Rational b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    /// <summary>The quotient, or null when <paramref name="b"/> is zero.</summary>
    public static Rational? Divide(Rational a, Rational b) =>
        b.Numerator.IsZero ? null : new Rational(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public Rational Abs() => new(BigInteger.Abs(Numerator), Denominator);

    /// <summary>|a − b| ≤ tolerance · max(|a|, |b|), computed exactly.</summary>
    public bool IsCloseTo(Rational other, Rational relativeTolerance)
    {
        var difference = (this - other).Abs();
        var larger = Abs().CompareTo(other.Abs()) >= 0 ? Abs() : other.Abs();
        return difference.CompareTo(relativeTolerance * larger) <= 0;
    }

    public int CompareTo(Rational other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public double ToDouble()
    {
        var (n, d) = ((double)Numerator, (double)Denominator);
        // Past double's range both ends are infinite; logarithms keep the ratio.
        return double.IsFinite(n) && double.IsFinite(d)
            ? n / d
            : Math.Exp(BigInteger.Log(BigInteger.Abs(Numerator)) - BigInteger.Log(Denominator)) * Numerator.Sign;
    }

    /// <summary>
    /// An unsigned decimal literal (<c>12</c>, <c>0.5</c>, <c>.35625</c>, <c>2.</c>, <c>1e-3</c>) as an exact value;
    /// null when <paramref name="text"/> is anything else.
    /// </summary>
    public static Rational? ParseDecimal(string text)
    {
        var exponentAt = text.IndexOfAny(['e', 'E']);
        var exponent = 0;
        if (exponentAt >= 0)
        {
            if (!int.TryParse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                || Math.Abs(exponent) > 1000) return null;
            text = text[..exponentAt];
        }
        var point = text.IndexOf('.');
        var (whole, fraction) = point < 0 ? (text, "") : (text[..point], text[(point + 1)..]);
        if (whole.Length + fraction.Length == 0 || !(whole + fraction).All(char.IsAsciiDigit)) return null;
        var digits = BigInteger.Parse("0" + whole + fraction, CultureInfo.InvariantCulture);
        var scale = exponent - fraction.Length;
        return scale >= 0
            ? FromInteger(digits * BigInteger.Pow(10, scale))
            : new Rational(digits, BigInteger.Pow(10, -scale));
    }

    public override string ToString() =>
        IsInteger ? Numerator.ToString(CultureInfo.InvariantCulture) : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";
}
