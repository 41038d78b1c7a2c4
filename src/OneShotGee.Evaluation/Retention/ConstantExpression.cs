using System.Globalization;

namespace OneShotGee.Evaluation.Retention;

/// <summary>
/// The numeric value of a normalised closed-form answer without variables, such as <c>5\sqrt{2}</c>,
/// <c>\frac{3\pi}{2}</c> or <c>10^3</c>: numbers, <c>+ - * / \cdot \times</c>, implicit products, <c>^</c>,
/// <c>\frac</c>, <c>\sqrt</c>, <c>\sqrt[n]</c>, <c>\pi</c> and brackets. Null for anything else (letters, lists, ±).
/// </summary>
public sealed class ConstantExpression
{
    readonly string s;
    int at;

    ConstantExpression(string s) => this.s = s;

    // The parser recurses per sign and bracket: a degenerate generation ("((((…", "------…") must not overflow the stack,
    // and no closed-form answer is this long.
    const int MaxLength = 200;

    public static double? Evaluate(string normalized)
    {
        if (normalized.Length > MaxLength) return null;
        var parser = new ConstantExpression(normalized);
        try
        {
            var value = parser.Sum();
            return parser.at == normalized.Length && double.IsFinite(value) ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    double Sum()
    {
        var value = Product();
        while (true)
        {
            if (Accept("+")) value += Product();
            else if (Accept("-")) value -= Product();
            else return value;
        }
    }

    double Product()
    {
        var value = Signed();
        while (true)
        {
            if (Accept(@"\cdot") || Accept(@"\times") || Accept("*")) value *= Signed();
            else if (Accept("/") || Accept(@"\div")) value /= Signed();
            else if (at < s.Length && (char.IsAsciiDigit(s[at]) || s[at] is '(' or '{' or '\\' or '.')) value *= Power();
            else return value;
        }
    }

    double Signed() => Accept("-") ? -Signed() : Accept("+") ? Signed() : Power();

    double Power()
    {
        var value = Atom();
        if (!Accept("^")) return value;
        // An exponent without braces is one token: 10^34 is 10³·4 in TeX.
        return Math.Pow(value, Peek('{') ? Atom() : at < s.Length && char.IsAsciiDigit(s[at]) ? s[at++] - '0' : Signed());
    }

    double Atom()
    {
        if (Accept(@"\frac")) return Group() / Group();
        if (Accept(@"\sqrt"))
        {
            var index = 2.0;
            if (Accept("["))
            {
                index = Sum();
                Expect("]");
            }
            var radicand = Group();
            return index == 3 ? Math.Cbrt(radicand) : Math.Pow(radicand, 1 / index);
        }
        if (Accept(@"\pi")) return Math.PI;
        if (Peek('{')) return Group();
        if (Accept("("))
        {
            var value = Sum();
            Expect(")");
            return value;
        }
        return Number();
    }

    double Group()
    {
        Expect("{");
        var value = Sum();
        Expect("}");
        return value;
    }

    double Number()
    {
        var start = at;
        while (at < s.Length && (char.IsAsciiDigit(s[at]) || s[at] == '.')) at++;
        if (at == start) throw new FormatException($"no number at {start} in '{s}'");
        return double.Parse(s.AsSpan(start, at - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    bool Peek(char c) => at < s.Length && s[at] == c;

    bool Accept(string token)
    {
        if (string.CompareOrdinal(s, at, token, 0, token.Length) != 0) return false;
        // \pi must not swallow the start of \pm; \frac and \sqrt are followed by a brace after normalisation.
        if (token[0] == '\\' && at + token.Length < s.Length && char.IsAsciiLetter(s[at + token.Length])) return false;
        at += token.Length;
        return true;
    }

    void Expect(string token)
    {
        if (!Accept(token)) throw new FormatException($"expected '{token}' at {at} in '{s}'");
    }
}
