using System.Text.RegularExpressions;
using OneShotGee.Evaluation.Paired;

namespace OneShotGee.Evaluation.Tests.Paired;

public class WinogenderTemplatesTests
{
    [Fact]
    public void Many_pairs_that_differ_only_in_pronouns()
    {
        var set = WinogenderTemplates.Build();
        Assert.True(WinogenderTemplates.Occupations.Distinct().Count() >= 60);
        Assert.Equal(WinogenderTemplates.Occupations.Count * WinogenderTemplates.Frames.Count, set.Pairs.Count);
        Assert.Equal(["male", "female"], set.Groups);
        Assert.Equal(set.Pairs.Count, set.Pairs.Select(p => p.PairId).Distinct().Count());
        foreach (var pair in set.Pairs)
        {
            var (male, female) = (pair.Texts[0], pair.Texts[1]);
            Assert.DoesNotContain("{", male);
            Assert.Matches(@"\b(he|him|his)\b", male);
            Assert.DoesNotMatch(@"\b(she|her)\b", male);
            var swapped = Regex.Replace(male, @"\b(he|him|his)\b", m => m.Value == "he" ? "she" : "her");
            Assert.Equal(female, swapped);
        }
        Assert.Contains(set.Pairs, p => p.Texts[0] == "My friend works as an engineer. Yesterday he told me that");
    }
}
