using System.Globalization;
using System.Text.Json;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Retention;

public class AnswerExtractionTests
{
    [Theory]
    [InlineData("so 9 * 2 = 18.\n#### 18", "18")]
    [InlineData("#### 1,234\n", "1,234")]
    [InlineData("first #### 3 then #### -7", "-7")]
    [InlineData(@"Thus the answer is $\boxed{\frac{14}{3}}$.", @"\frac{14}{3}")]
    [InlineData(@"\boxed{1} then \boxed{\left( 3, \frac{\pi}{2} \right)}", @"\left( 3, \frac{\pi}{2} \right)")]
    [InlineData(@"\boxed{\text{(C)}}", @"\text{(C)}")]
    [InlineData(@"\fbox{x^{2}}", @"x^{2}")]
    [InlineData(@"The answer is \boxed 5 apples", "5")]
    [InlineData("She has 3 apples, then 12 more, so 15.", "15")]
    [InlineData("It costs $1,250.50, I think", "1,250.50")]
    [InlineData("a ratio of 3/4", "3/4")]
    [InlineData("the temperature fell to -12 degrees", "-12")]
    public void Extracts_the_final_answer(string text, string expected) => Assert.Equal(expected, AnswerExtractor.Extract(text));

    [Theory]
    [InlineData("no numbers here")]
    [InlineData(@"\boxed{unclosed")]
    [InlineData("")]
    public void Nothing_to_extract(string text) => Assert.Null(AnswerExtractor.Extract(text));

    [Theory]
    [InlineData("18", "18", true)]
    [InlineData("18.0", "18", true)]
    [InlineData("18.00", "18", true)]
    [InlineData("$18", "18", true)]
    [InlineData("1,000", "1000", true)]
    [InlineData(@"\frac{1}{2}", "0.5", true)]
    [InlineData(@"\dfrac{1}{2}", @"\frac12", true)]
    [InlineData("1/2", "0.5", true)]
    [InlineData(@"-\frac{3}{4}", "-0.75", true)]
    [InlineData(@"\frac{14}{3}", "4.66667", true)]
    [InlineData(@"\left( 3, \frac{\pi}{2} \right)", @"(3,\frac{\pi}{2})", true)]
    [InlineData(@"\text{(C)}", "(C)", true)]
    [InlineData(@"90^\circ", "90", true)]
    [InlineData(@"50\%", "50", true)]
    [InlineData("18.", "18", true)]
    [InlineData("(1,2)", "12", false)]
    [InlineData("(1,2)", "(1, 2)", true)]
    [InlineData("17", "18", false)]
    [InlineData("70001", "70,000", false)]
    [InlineData("2.00001", "2", true)]
    [InlineData("4.6", @"\frac{14}{3}", false)]
    [InlineData(@"\frac{1}{0}", "0", false)]
    [InlineData("", "", false)]
    [InlineData(null, "1", false)]
    public void Equivalence(string? predicted, string gold, bool expected) =>
        Assert.Equal(expected, AnswerEquivalence.AreEquivalent(predicted, gold));

    [Fact]
    public void Every_gsm8k_gold_answer_extracts_to_its_number() =>
        Assert.Equal(12, CheckGsm8kGoldAnswers(Fixtures.PathOf("data/math/gsm8k_test.jsonl")));

    [SkippableFact]
    public void Every_gsm8k_gold_answer_of_the_whole_set_extracts_to_its_number() =>
        Assert.Equal(1319, CheckGsm8kGoldAnswers(TestData.PathOf("math/gsm8k_test.jsonl")));

    [Fact]
    public void Math500_answers_survive_boxing_and_match_their_solutions()
    {
        var (rows, agree) = CheckMath500Answers(Fixtures.PathOf("data/math/math500_test.jsonl"));
        Assert.Equal((6, 6), (rows, agree));
    }

    [SkippableFact]
    public void Math500_answers_of_the_whole_set_survive_boxing_and_mostly_match_their_solutions()
    {
        var (rows, agree) = CheckMath500Answers(TestData.PathOf("math/math500_test.jsonl"));
        Assert.Equal(500, rows);
        // The reference solutions box the answer in their own words; string normalisation must agree on almost all.
        Assert.True(agree >= 470, $"{agree} of 500 solutions agree with their answer");
    }

    /// <summary>Checks that every answer's text after #### extracts to a number equal to itself and not to its successor; returns the row count.</summary>
    static int CheckGsm8kGoldAnswers(string path)
    {
        var rows = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("answer").GetString()!).ToList();
        foreach (var answer in rows)
        {
            var tail = answer[(answer.LastIndexOf("####", StringComparison.Ordinal) + 4)..].Trim().Replace(",", "");
            var number = decimal.Parse(tail, CultureInfo.InvariantCulture);
            var extracted = AnswerExtractor.Extract(answer);
            Assert.True(AnswerEquivalence.AreEquivalent(extracted, extracted), answer);
            Assert.True(AnswerEquivalence.AreEquivalent(extracted, number.ToString(CultureInfo.InvariantCulture)), answer);
            Assert.False(AnswerEquivalence.AreEquivalent(extracted, (number + 1).ToString(CultureInfo.InvariantCulture)), answer);
        }
        return rows.Count;
    }

    /// <summary>Checks that every gold answer, boxed, extracts back to itself; returns the rows and how many solutions agree with their answer.</summary>
    static (int Rows, int Agree) CheckMath500Answers(string path)
    {
        var rows = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => (Solution: r.GetProperty("solution").GetString()!, Answer: r.GetProperty("answer").GetString()!)).ToList();
        foreach (var (_, answer) in rows)
            Assert.True(AnswerEquivalence.AreEquivalent(AnswerExtractor.Extract($"so we get \\boxed{{{answer}}}."), answer), answer);
        return (rows.Count, rows.Count(r => AnswerEquivalence.AreEquivalent(AnswerExtractor.Extract(r.Solution), r.Answer)));
    }
}
