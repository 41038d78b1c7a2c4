using OneShotGee.Core;
using OneShotGee.Tests;

namespace OneShotGee.Data.Tests;

public class CounterfactualAugmenterTests
{
    static readonly CounterfactualAugmenter Augmenter = new(Lexicon.BuiltIn("gender"));

    static string Swap(string text) => Augmenter.Swap(text, "male", "female");

    [Theory]
    [InlineData("he ran", "she ran")]
    [InlineData("He ran", "She ran")]
    [InlineData("HE RAN", "SHE RAN")]
    [InlineData("Mr. Smith and his wife", "Mrs. Smith and her husband")]
    [InlineData("Ms. Lee met Mrs. Kim", "Mr. Lee met Mr. Kim")]
    [InlineData("James gave Mary 3 apples.", "Mary gave James 3 apples.")]
    [InlineData("JANET's ducks", "JACK's ducks")] // Janet pairs with Jack in the built-in name list
    [InlineData("The boys and girls asked their grandfather.", "The girls and boys asked their grandmother.")]
    [InlineData("He is the king; she is the queen.", "She is the queen; he is the king.")]
    [InlineData("The book is hers, not his.", "The book is his, not hers.")] // standalone possessive
    [InlineData("His is red and hers is blue.", "Hers is red and his is blue.")]
    [InlineData("He gave his 3 sons his old car.", "She gave her 3 daughters her old car.")] // a number after "his" is still a noun phrase
    [InlineData("His back hurts, so his will is weak.", "Her back hurts, so her will is weak.")] // nouns that are also particles or verbs
    [InlineData("He drank his can of soda; the seat is his.", "She drank her can of soda; the seat is hers.")]
    [InlineData("He kept his \"lucky\" coin.", "She kept her \"lucky\" coin.")]
    [InlineData("He said he's busy with himself.", "She said she's busy with herself.")]
    [InlineData("A hershey bar for Shelley", "A hershey bar for Shelley")]
    public void SwapsEveryLexiconWordKeepingItsCase(string text, string expected) => Assert.Equal(expected, Swap(text));

    [Theory]
    [InlineData("She gave her a book.", "He gave him a book.")] // object before an article
    [InlineData("He talked to her.", "She talked to him.")] // object before punctuation
    [InlineData("He thanked her", "She thanked him")] // object at the end
    [InlineData("He went with her and her sister.", "She went with him and his brother.")]
    [InlineData("She lost her book.", "He lost his book.")] // determiner before a noun
    [InlineData("She sold her new car.", "He sold his new car.")] // determiner before an adjective
    [InlineData("Her mother paid her $8 an hour.", "His father paid him $8 an hour.")] // giving verb + amount → object
    [InlineData("She fed her 6 children.", "He fed his 6 children.")] // number without a giving verb → determiner
    [InlineData("Janet gave her 24 outfits for her own baby.", "Jack gave him 24 outfits for his own baby.")]
    [InlineData("Is the pen HER?", "Is the pen HIM?")]
    public void HerBecomesHimAsAnObjectAndHisAsADeterminer(string text, string expected) => Assert.Equal(expected, Swap(text));

    [Fact]
    public void TextWithoutLexiconWordsIsReturnedAsIs()
    {
        var text = "A robe takes 2 bolts of blue fiber.";
        Assert.Same(text, Swap(text));
    }

    [Fact]
    public void SwappingTwiceRestoresTheText()
    {
        var text = "Mr. Brown asked his son and his nephew to help him; the boys thanked their uncle.";
        Assert.Equal(text, Swap(Swap(text)));
    }

    [Fact]
    public void AugmentAddsATwinOfTheOtherGroupWithTheSamePairId()
    {
        var rows = Augmenter.Augment([new PreparedRow("7", "She runs.", "female", "7", "in.jsonl")]).ToList();

        Assert.Equal(
            [new PreparedRow("7", "She runs.", "female", "7", "in.jsonl"), new PreparedRow("7-cf", "He runs.", "male", "7", "counterfactual")],
            rows);
    }

    /// <summary>WinoBias' generalized_swaps.txt as an independent reference: every entry whose word we know must agree.</summary>
    [SkippableFact]
    public void AgreesWithWinoBiasGeneralizedSwaps()
    {
        var lexicon = Lexicon.BuiltIn("gender");
        var known = lexicon.Words.Values.SelectMany(w => w).ToHashSet();
        // Deliberate differences: "guy(s)" → "gal(s)" (WinoBias: "girl(s)"), "sir" → "madam" (WinoBias: "ma'am", not a letters-only word),
        // "chairwomen" → "chairmen" (WinoBias has "chairman", a typo), "his" alone → "hers" (WinoBias: "her"; before a
        // noun we give "her" too, but a word swapped on its own, as here, is a standalone possessive).
        string[] differences = ["guy", "guys", "sir", "chairwomen", "his"];
        var entries = File.ReadLines(TestData.PathOf("bias/winobias/generalized_swaps.txt"))
            .Select(l => l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Select(p => (From: p[0].TrimEnd('.'), To: p[1].TrimEnd('.')))
            .ToList();

        var covered = entries.Where(e => known.Contains(e.From)).ToList();
        Assert.True(covered.Count >= 95, $"{covered.Count} of {entries.Count} WinoBias words covered");
        foreach (var (from, to) in covered.Where(e => !differences.Contains(e.From)))
            Assert.Equal(to, Swap(from));
    }

    [Fact]
    public void LexiconWithAnUnswappableWordIsRejected()
    {
        var lexicon = Lexicon.Parse("""{"attribute":"g","groups":{"a":["x","w"],"b":["y"]},"pairs":[["x","y"]]}"""u8.ToArray(), "g");
        Assert.Contains("'w'", Assert.Throws<InvalidInputException>(() => new CounterfactualAugmenter(lexicon)).Message);
    }

    static readonly CounterfactualAugmenter NonBinary = new(Lexicon.BuiltIn("gender-nb"));

    [Theory]
    [InlineData("He paid his sister.", "female", "She paid her brother.")]
    [InlineData("He paid his sister.", "nonbinary", "They paid their sister.")] // the female word stays: only male and nonbinary exchange
    [InlineData("The book is his.", "nonbinary", "The book is theirs.")]
    [InlineData("Mr. James thanked his uncle.", "nonbinary", "Mx. Alex thanked their pibling.")]
    public void ANonBinaryGroupGetsItsOwnWordsForTheMaleWords(string text, string group, string expected) =>
        Assert.Equal(expected, NonBinary.Swap(text, "male", group));

    [Theory]
    [InlineData("She gave her a book.", "They gave them a book.")]
    [InlineData("She lost her book.", "They lost their book.")]
    public void HerFollowsItsContextIntoTheNonBinaryGroup(string text, string expected) =>
        Assert.Equal(expected, NonBinary.Swap(text, "female", "nonbinary"));

    [Fact]
    public void NonBinaryWordsThatMarkTheGroupSwapBackAndWriteOnlyWordsDoNot()
    {
        Assert.Equal("Mr. Lee asked himself.", NonBinary.Swap("Mx. Lee asked themself.", "nonbinary", "male"));
        // "they" is written into variants but marks no group (it is also plural), so it is never read back as nonbinary.
        Assert.Null(new GroupDetector(Lexicon.BuiltIn("gender-nb")).Detect("They asked them."));
    }

    [Fact]
    public void ReligionVariantsFollowTheSlotsOfEachGroup()
    {
        var religion = new CounterfactualAugmenter(Lexicon.BuiltIn("religion"));
        var variants = religion.Variants("A Muslim family and two Muslims visited a Jew.", "muslim").ToDictionary(v => v.Group, v => v.Text);

        Assert.Equal(9, variants.Count);
        Assert.Equal("A Jewish family and two Jews visited a Muslim.", variants["jewish"]);
        Assert.Equal("A Sikh family and two Sikhs visited a Jew.", variants["sikh"]);
    }

    [Fact]
    public void AugmentWithThreeGroupsAddsAVariantPerOtherGroup()
    {
        var rows = NonBinary.Augment([new PreparedRow("7", "She runs.", "female", "7", "in.jsonl")]).ToList();

        Assert.Equal(
            [new PreparedRow("7", "She runs.", "female", "7", "in.jsonl"), new PreparedRow("7-cf-male", "He runs.", "male", "7", "counterfactual"),
             new PreparedRow("7-cf-nonbinary", "They runs.", "nonbinary", "7", "counterfactual")],
            rows);
    }
}
