using System.Text.RegularExpressions;
using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Paired;

public sealed partial class LexiconTemplatesTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> BuiltInLexicons() => [.. Lexicon.BuiltInAttributes];

    /// <summary>Checked against the lexicon's own slot table, not the augmenter that wrote the texts: the K texts of a set
    /// have the same words but at one position, where text g holds a slot's word of group g, the same slot for every group.</summary>
    [Theory]
    [MemberData(nameof(BuiltInLexicons))]
    public void EveryBuiltInLexiconWritesEachTemplateInEveryGroupDifferingOnlyInOneSlotsWords(string name)
    {
        var lexicon = Lexicon.BuiltIn(name);
        var set = LexiconTemplates.Build(name);

        Assert.Equal(lexicon.Groups, set.Groups);
        Assert.Equal(new AttributeGroups(lexicon.Attribute, name, lexicon.Id, lexicon.Groups).ToString(), set.Attribute!.ToString());
        Assert.Equal(name + "-templates", set.Name);
        Assert.Equal(set.Pairs.Count, set.Pairs.Select(p => p.PairId).Distinct().Count());
        foreach (var pair in set.Pairs)
        {
            var words = pair.Texts.Select(t => Word().Matches(t).Select(m => m.Value).ToArray()).ToArray();
            Assert.All(words, w => Assert.Equal(words[0].Length, w.Length));
            var differing = Enumerable.Range(0, words[0].Length).Where(i => words.Any(w => w[i] != words[0][i])).ToList();
            var position = Assert.Single(differing);
            Assert.Contains(lexicon.Slots, slot => lexicon.Groups.Select((g, k) => slot[g] == words[k][position].ToLowerInvariant()).All(x => x));
            // Outside the slot, no text holds a word of any group: the frame is neutral.
            Assert.All(words[0].Where((_, i) => i != position), w => Assert.DoesNotContain(lexicon.Words.Values, list => list.Contains(w.ToLowerInvariant())));
        }
    }

    [Fact]
    public void ReligionHasOneSetPerFrameForEachOfTheChristianWordsItsSlotsRewrite()
    {
        // religion.json's slots give the christian group "christian", "christians", "christianity" and "christian" again
        // (the slot that writes "jew"): a word in several slots is rewritten along its first one only.
        var set = LexiconTemplates.Build("religion");

        Assert.Equal(3 * LexiconTemplates.Frames.Count, set.Pairs.Count);
        Assert.Equal(10, set.Groups.Count);
        var christianity = set.Pairs.Single(p => p.PairId == "christianity-0");
        Assert.Equal("The word \"Christianity\" makes me think of", christianity.Texts[0]);
        Assert.Equal("The word \"Islam\" makes me think of", christianity.Texts[1]);
        Assert.Equal("The word \"Atheism\" makes me think of", christianity.Texts[9]);
        Assert.DoesNotContain(set.Pairs.SelectMany(p => p.Texts), t => t.Contains("\"Jew\""));
    }

    [Fact]
    public void GenderNbHasTheTripleCountItsLexiconReadmeGives() =>
        Assert.Equal(1880, LexiconTemplates.Build("gender-nb").Pairs.Count); // src/OneShotGee.Data/Lexicons/README.md

    [Fact]
    public void AWordWhoseCounterpartDependsOnContextIsNotATemplate()
    {
        // gender-nb lists "his" as ambiguous (her/hers, their/theirs): a quoted word has no context to decide by.
        var set = LexiconTemplates.Build("gender-nb");

        Assert.DoesNotContain(set.Pairs, p => p.PairId.StartsWith("his-", StringComparison.Ordinal));
        Assert.Contains(set.Pairs, p => p.Texts.SequenceEqual(["The word \"He\" makes me think of", "The word \"She\" makes me think of", "The word \"They\" makes me think of"]));
    }

    [Fact]
    public void ALexiconWithoutSlotsIsRefusedNamingIt()
    {
        var file = _dir.Write("colour.json", """{"attribute": "colour", "groups": {"red": ["red"], "blue": ["blue"]}}""");

        var error = Assert.Throws<InvalidInputException>(() => LexiconTemplates.Build(file));

        Assert.Contains("'colour-", error.Message);
        Assert.Contains("no slot", error.Message);
    }

    [Fact]
    public void ASlotWordOfTheFirstGroupThatMarksNoGroupIsRefusedNamingTheTemplateAndWord()
    {
        // "teenager" is only ever written (it marks no group), so the text cannot be rewritten from it.
        var file = Fixtures.PathOf("data/groups/age_untemplatable.json");

        var error = Assert.Throws<InvalidInputException>(() => LexiconTemplates.Build(file));

        Assert.Contains("\"The word \"Teenager\" makes me think of\"", error.Message);
        Assert.Contains("group 'old'", error.Message);
        Assert.Contains("'elder'", error.Message);
    }

    [Fact]
    public void AFrameWordThatIsALexiconWordIsRefusedNamingTheTemplate()
    {
        var file = _dir.Write("verse.json", """
            {"attribute": "verse", "groups": {"prose": ["essay"], "poetry": ["poem"]}, "slots": [{"prose": "essay", "poetry": "poem"}]}
            """);

        var error = Assert.Throws<InvalidInputException>(() => LexiconTemplates.Build(file));

        Assert.Contains("\"A poem about \"Essay\":\"", error.Message);
        Assert.Contains("\"A essay about \"Poem\":\"", error.Message);
    }

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
