using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Retention;

public class MathAnswerEquivalenceTests
{
    [Theory]
    // Fractions, decimals and slashes are one value.
    [InlineData(@"\frac{1}{2}", @"\dfrac12", true)]
    [InlineData(@"\frac{1}{2}", "0.5", true)]
    [InlineData(@"\dfrac12", "1/2", true)]
    [InlineData(@"\tfrac{1}{2}", ".5", true)]
    [InlineData(@"\frac1{2}", @"\frac{1}{2}", true)]
    [InlineData(@"\frac{2}{4}", @"\frac12", true)]
    [InlineData(@"-\frac{3}{4}", "-0.75", true)]
    [InlineData(@"\frac{-3}{4}", "-0.75", true)]
    [InlineData(@"\frac{5}{6}", @"\frac{6}{5}", false)]
    [InlineData(@"\frac{1}{3}", "0.3", false)]
    [InlineData(@"\frac{1}{0}", "0", false)]
    [InlineData(@"1\frac{4}{5}", "1.8", true)]
    [InlineData(@"137 \frac{1}{2}", @"\frac{275}{2}", true)]
    // Rounded decimals are close enough (relative 1e-4); integers are exact.
    [InlineData("4.66667", @"\frac{14}{3}", true)]
    [InlineData("4.67", @"\frac{14}{3}", false)]
    [InlineData("0.333", @"\frac{1}{3}", false)]
    [InlineData("70001", "70000", false)]
    [InlineData("70,001", "70,000", false)]
    [InlineData("70,000", "70000", true)]
    [InlineData(@"10,\!080", "10080", true)]
    [InlineData("18.00", "18", true)]
    [InlineData("-3", "3", false)]
    [InlineData("0", "-0", true)]
    // Roots, degrees, units, dollars, percent.
    [InlineData(@"\sqrt2", @"\sqrt{2}", true)]
    [InlineData(@"11\sqrt2", @"11 \sqrt{2}", true)]
    [InlineData(@"\sqrt{2}", @"\sqrt{3}", false)]
    [InlineData(@"120^\circ", "120", true)]
    [InlineData(@"120^{\circ}", @"120^\circ", true)]
    [InlineData(@"5\text{ cm}", "5", true)]
    [InlineData(@"864 \mbox{ inches}^2", "864", true)]
    [InlineData("5.4 cents", @"5.4 \text{ cents}", true)]
    [InlineData(@"\$18.90", "18.9", true)]
    [InlineData(@"50\%", "50", true)]
    [InlineData(@"50\%", "0.5", true)]
    [InlineData("50", "0.5", false)]
    // Words, choices, assignments.
    [InlineData(@"\text{(C)}", "(C)", true)]
    [InlineData(@"\text{(C)}", "C", true)]
    [InlineData(@"\text{(C)}", "(D)", false)]
    [InlineData(@"\text{Evelyn}", "evelyn", true)]
    [InlineData("x = 5", "5", true)]
    [InlineData("k=5", "6", false)]
    [InlineData(@"x \in [-2,7]", "[-2, 7]", true)]
    [InlineData("y = 2x+3", "2x + 3", true)] // the assignment is dropped
    [InlineData("50\\%", "0.5\\%", false)]
    [InlineData("12 and a half", "12", false)]
    [InlineData("5 million", "5", false)]
    [InlineData("5.", "5", true)]
    // Tuples, intervals, sets, unions, matrices: element by element, brackets as written.
    [InlineData("(-2,2)", @"\left(-2, 2\right)", true)]
    [InlineData("[-2,2)", "(-2,2)", false)]
    [InlineData("(3,4]", @"\left( 3, 4 \right]", true)]
    [InlineData(@"(3,\frac{\pi}{2})", @"\left( 3, \frac{\pi}{2} \right)", true)]
    [InlineData(@"(3,\frac{\pi}{2})", @"\left( \frac{\pi}{2}, 3 \right)", false)]
    [InlineData(@"(1,4.5)", @"(1,\frac{9}{2})", true)]
    [InlineData(@"\left( \frac{3}{2}, -13 \right)", "(1.5,-13)", true)]
    [InlineData("(1,2)", "(1,2,3)", false)]
    [InlineData("(1,2)", "12", false)]
    [InlineData("(1,2)", "1,2", false)]
    [InlineData(@"(0,9) \cup (9,36)", @"(0, 9)\cup(9, 36)", true)]
    [InlineData(@"(0,9) \cup (9,36)", @"(0, 9]\cup(9, 36)", false)]
    [InlineData(@"(-\infty, 0]", @"(-\infty,0]", true)]
    [InlineData(@"\{1\pm\sqrt{5},-2\}", @"1 \pm \sqrt5, -2", true)]
    [InlineData("3, 5, 7", "3,5,7", true)]
    [InlineData("3, 5, 7", "3,7,5", false)]
    [InlineData(@"\begin{pmatrix} -1/3 \\ 2/3 \end{pmatrix}", @"\begin{pmatrix} -\frac13 \\ \frac{2}{3} \end{pmatrix}", true)]
    [InlineData(@"\begin{pmatrix} -1/3 \\ 2/3 \end{pmatrix}", @"\begin{pmatrix} \frac13 \\ \frac{2}{3} \end{pmatrix}", false)]
    [InlineData(@"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}", @"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", true)]
    // Closed forms are evaluated: to rounding error, or within 1e-4 of a rounded decimal.
    [InlineData(@"5\sqrt{2}", @"\sqrt{50}", true)]
    [InlineData(@"5\sqrt{2}", "7.0711", true)]
    [InlineData(@"5\sqrt{2}", "7.07", false)]
    [InlineData(@"\frac{1}{\sqrt{3}}", @"\frac{\sqrt{3}}{3}", true)]
    [InlineData(@"2\sqrt{3}", @"\sqrt{13}", false)]
    [InlineData(@"\frac{3}{2}\pi", @"\frac{3\pi}{2}", true)]
    [InlineData(@"\pi", "3.14", false)]
    [InlineData("10^{3}", "1000", true)]
    [InlineData(@"7\cdot 10^4 + 1", "70000", false)]
    // Expressions with variables match as normalised strings.
    [InlineData(@"-\frac{\pi}{6}", @"-\dfrac\pi6", true)]
    [InlineData(@"6 - 5i", "6-5i", true)]
    [InlineData(@"6 - 5i", "6+5i", false)]
    [InlineData("x^{2}+1", "x^2 + 1", true)]
    [InlineData("(a+5)(b+2)", @"\left(a + 5\right)\left(b + 2\right)", true)]
    [InlineData("(a+5)(b+2)", "(b+2)(a+5)", false)]
    [InlineData("52_8", "52_{8}", true)]
    [InlineData("", "", false)]
    [InlineData(null, "1", false)]
    public void Judges_like_the_reference_grader(string? predicted, string gold, bool expected) =>
        Assert.Equal(expected, AnswerEquivalence.AreEquivalent(predicted, gold));

    [SkippableFact]
    public void Every_math500_gold_answer_survives_its_rewritings_and_not_its_perturbations() =>
        AssertRewritingsHold(GoldAnswers(TestData.PathOf("math/math500_test.jsonl")), expectedCount: 500);

    [Fact]
    public void Degenerate_generations_are_judged_wrong_without_overflowing_the_stack()
    {
        Assert.False(AnswerEquivalence.AreEquivalent(new string('(', 100_000) + "1", "1"));
        Assert.False(AnswerEquivalence.AreEquivalent(new string('-', 100_000) + "1", "1"));
    }

    [Fact]
    public void Fixture_math500_answers_survive_their_rewritings_and_not_their_perturbations() =>
        AssertRewritingsHold(GoldAnswers(Fixtures.PathOf("data/math/math500_test.jsonl")), expectedCount: 6);

    static List<string> GoldAnswers(string path) =>
        File.ReadLines(path).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("answer").GetString()!).ToList();

    static void AssertRewritingsHold(List<string> golds, int expectedCount)
    {
        Assert.Equal(expectedCount, golds.Count);
        var failures = new List<string>();
        var (rewritings, perturbations) = (0, 0);
        foreach (var gold in golds)
        {
            foreach (var (name, rewritten) in AnswerRewritings.KeepingTheValue(gold))
            {
                rewritings++;
                if (!AnswerEquivalence.AreEquivalent(rewritten, gold)) failures.Add($"{name}: '{rewritten}' should equal '{gold}'");
            }
            foreach (var (name, perturbed) in AnswerRewritings.ChangingTheValue(gold))
            {
                perturbations++;
                if (AnswerEquivalence.AreEquivalent(perturbed, gold)) failures.Add($"{name}: '{perturbed}' should differ from '{gold}'");
            }
        }
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {rewritings} rewritings and {perturbations} perturbations of {golds.Count} gold answers judged wrongly:\n"
            + string.Join("\n", failures.Take(40)));
    }
}

/// <summary>
/// How a model's answer commonly differs from the gold one. Every rewriting keeps the value, so it must be judged
/// equal; every perturbation changes it, so it must be judged different.
/// </summary>
static partial class AnswerRewritings
{
    public static IEnumerable<(string Name, string Answer)> KeepingTheValue(string gold)
    {
        yield return ("itself", gold);
        yield return ("$…$", $"${gold}$");
        yield return ("trailing period", gold + ".");
        yield return ("no spaces", gold.Replace(" ", ""));
        yield return ("spaced", " " + gold.Replace(",", ", ").Replace("+", " + ").Replace("=", " = ") + " ");
        if (gold.Contains(@"\frac")) yield return ("dfrac", gold.Replace(@"\frac", @"\dfrac"));
        if (gold.Contains(@"\dfrac")) yield return ("frac", gold.Replace(@"\dfrac", @"\frac"));
        if (!gold.Contains(@"\left") && gold.IndexOfAny(['(', '[']) >= 0)
            yield return (@"\left \right", gold.Replace("(", @"\left(").Replace("[", @"\left[").Replace(")", @"\right)").Replace("]", @"\right]"));
        if (gold.Contains(','))
            yield return (@"\! after commas", gold.Replace(",", @",\!"));
        if (SingleDigitFraction().IsMatch(gold)) yield return ("short frac", SingleDigitFraction().Replace(gold, @"\frac$1$2"));
        if (ShortFraction().IsMatch(gold)) yield return ("braced frac", ShortFraction().Replace(gold, @"\frac{$1}{$2}"));
        if (BracedSqrt().IsMatch(gold)) yield return ("short sqrt", BracedSqrt().Replace(gold, @"\sqrt$1"));
        if (Degrees().IsMatch(gold)) yield return ("no degrees", Degrees().Replace(gold, ""));
        if (TextUnit().IsMatch(gold)) yield return ("no unit", TextUnit().Replace(gold, ""));
        if (gold.Contains(@"\$")) yield return ("no dollar", gold.Replace(@"\$", ""));
        if (Choice().Match(gold) is { Success: true } choice)
        {
            yield return ("choice in parentheses", $"({choice.Groups[1].Value})");
            yield return ("choice letter", choice.Groups[1].Value);
        }
        if (Assignment().Match(gold) is { Success: true } assignment) yield return ("value only", assignment.Groups[1].Value);

        if (PlainNumber().IsMatch(gold))
        {
            yield return ("degrees", gold + @"^\circ");
            yield return ("braced degrees", gold + @"^{\circ}");
            yield return ("unit", gold + @"\text{ cm}");
            yield return ("unit squared", gold + @" \mbox{ inches}^2");
            yield return ("assignment", "x = " + gold);
            yield return ("k assignment", "k=" + gold);
            var value = decimal.Parse(gold, CultureInfo.InvariantCulture);
            yield return ("trailing zeros", (value.Scale == 0 ? gold + "." : gold) + "00");
            if (value >= 1000 && value.Scale == 0)
                yield return ("thousands", value.ToString("#,0", CultureInfo.InvariantCulture).Replace(",", @",\!"));
        }
        if (TerminatingDecimal(gold) is { } decimalForm) yield return ("decimal", decimalForm);
        if (SimpleFraction().Match(gold) is { Success: true } fraction)
            yield return ("slash", $"{fraction.Groups["sign"].Value}{fraction.Groups["n"].Value}/{fraction.Groups["d"].Value}");
    }

    public static IEnumerable<(string Name, string Answer)> ChangingTheValue(string gold)
    {
        var digit = FirstDigit().Match(gold);
        if (digit.Success)
            yield return ("one digit changed", gold[..digit.Index] + (char)('0' + (digit.Value[0] - '0' + 1) % 10) + gold[(digit.Index + 1)..]);
        else if (FirstLetterOutsideCommands(gold) is { } at)
            yield return ("one letter changed", gold[..at] + (char)(char.ToLowerInvariant(gold[at]) == 'z' ? gold[at] - 1 : gold[at] + 1) + gold[(at + 1)..]);
        else
            yield return ("doubled", "2" + gold);

        // Flipping the sign of zero keeps its value.
        if ((PlainNumber().IsMatch(gold) || SimpleFraction().IsMatch(gold)) && !IsZero(gold))
            yield return ("sign flipped", gold.StartsWith('-') ? gold[1..] : "-" + gold);

        var plain = gold.Replace(@"\left", "").Replace(@"\right", "").Trim();
        var wrapped = plain.Length > 1 && plain[0] is '(' or '[' && LatexText.MatchingClose(plain, 0) == plain.Length - 1;
        var items = LatexText.SplitTopLevel(wrapped ? plain[1..^1] : plain, ",");
        // Swapping two equal elements, as in (2,2), keeps the tuple.
        if (items.Count >= 2 && items[0].Trim() != items[1].Trim())
        {
            var swapped = string.Join(",", new[] { items[1], items[0] }.Concat(items.Skip(2)));
            yield return ("first two elements swapped", wrapped ? plain[0] + swapped + plain[^1] : swapped);
        }
        if (wrapped && items.Count == 2)
            yield return ("other opening bracket", (plain[0] == '(' ? "[" : "(") + plain[1..]);
    }

    static int? FirstLetterOutsideCommands(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\')
                while (i + 1 < s.Length && char.IsAsciiLetter(s[i + 1])) i++;
            else if (char.IsAsciiLetter(s[i])) return i;
        }
        return null;
    }

    static bool IsZero(string gold) => gold.TrimStart('-').All(c => c is '0' or '.');

    // \frac{a}{b} with a, b integers and b = 2^i·5^j, as the exact decimal a model may write instead.
    static string? TerminatingDecimal(string gold)
    {
        var m = SimpleFraction().Match(gold);
        if (!m.Success) return null;
        var (n, d) = (decimal.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture), decimal.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture));
        var rest = d;
        foreach (var p in new[] { 2m, 5m }) while (rest % p == 0) rest /= p;
        return rest == 1 ? m.Groups["sign"].Value + (n / d).ToString(CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^-?(?:\d+(?:\.\d+)?|\.\d+)$")]
    private static partial Regex PlainNumber();

    [GeneratedRegex(@"^(?<sign>-?)\\d?frac\s*\{?(?<n>\d+)\}?\s*\{?(?<d>\d+)\}?$")]
    private static partial Regex SimpleFraction();

    [GeneratedRegex(@"\\frac\{(\d)\}\{(\d)\}")]
    private static partial Regex SingleDigitFraction();

    [GeneratedRegex(@"\\frac\s*(\d)\s*(\d)(?!\d)")]
    private static partial Regex ShortFraction();

    [GeneratedRegex(@"\\sqrt\{(\d)\}")]
    private static partial Regex BracedSqrt();

    [GeneratedRegex(@"\^\\circ|\^\{\\circ\}")]
    private static partial Regex Degrees();

    [GeneratedRegex(@"(?<=[\d}])\s*\\(?:text|mbox)\{\s*[a-z]+\}(?:\^\d)?$")]
    private static partial Regex TextUnit();

    [GeneratedRegex(@"^\\text\{\(([A-E])\)\}$")]
    private static partial Regex Choice();

    [GeneratedRegex(@"^[a-z]\s*=\s*([^=]+)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\d")]
    private static partial Regex FirstDigit();

}
