using System.Text;
using OneShotGee.Core;
using OneShotGee.Tests;

namespace OneShotGee.Data.Tests;

public class LexiconTests
{
    static Lexicon Parse(string json) => Lexicon.Parse(Encoding.UTF8.GetBytes(json), "test lexicon");

    [Fact]
    public void BuiltInGenderLexiconHasBothGroupsPronounsAndManyNames()
    {
        var lexicon = Lexicon.BuiltIn("gender");

        Assert.Equal(["male", "female"], lexicon.Groups);
        Assert.Contains("gender", Lexicon.BuiltInAttributes);
        Assert.Matches("^gender-[0-9a-f]{8}$", lexicon.Id);
        foreach (var word in new[] { "he", "him", "his", "himself", "man", "father", "mr", "sir", "king", "james", "john" })
            Assert.Contains(word, lexicon.Words["male"]);
        foreach (var word in new[] { "she", "her", "hers", "herself", "woman", "mother", "mrs", "ms", "madam", "natalia", "janet", "mary" })
            Assert.Contains(word, lexicon.Words["female"]);
        Assert.Contains(lexicon.Slots, s => s["male"] == "james" && s["female"] == "mary");
        Assert.True(lexicon.Slots.Count >= 200, $"{lexicon.Slots.Count} pairs"); // ~90 word pairs + 148 name pairs
        Assert.Equal(new AmbiguousSwap("him", "his"), lexicon.Ambiguous["her"]["male"]);
        Assert.Equal(new AmbiguousSwap("hers", "her", OtherStandsAlone: true), lexicon.Ambiguous["his"]["female"]);
    }

    [Fact]
    public void IdChangesWithContentAndNamesTheAttribute()
    {
        var a = Parse("""{"attribute":"age","groups":{"young":["teen"],"old":["elderly"]}}""");
        var b = Parse("""{"attribute":"age","groups":{"young":["teen","kid"],"old":["elderly"]}}""");

        Assert.StartsWith("age-", a.Id);
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public void UserLexiconFileForANewAttributeWorksWithoutPairs()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("age.json", """{"attribute":"age","groups":{"young":["teen","Kid"],"old":["elderly","retiree"],"middle":["adult"]}}""");

        var lexicon = Lexicon.Load(path);

        Assert.Equal(["young", "old", "middle"], lexicon.Groups);
        Assert.Equal(["teen", "kid"], lexicon.Words["young"]);
        Assert.Empty(lexicon.Slots);
    }

    [Theory]
    [InlineData("""{"groups":{"a":["x"],"b":["y"]}}""", "\"attribute\"")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"]}}""", "at least two")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["x"]}}""", "'x' is in both groups 'a' and 'b'")]
    [InlineData("""{"attribute":"g","groups":{"a":["ma'am"],"b":["y"]}}""", "\"ma'am\"")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":[]}}""", "group 'b' has no words")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"neutral":["y"]}}""", "'neutral' is reserved")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"]},"pairs":[["x","z"]]}""", "'z' is used as a 'b' word")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"]},"pairs":[["x"]]}""", "two words")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"],"c":["z"]},"pairs":[["x","y"]]}""", "exactly two groups, found 3; use \"slots\"")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"],"c":["z"]},"slots":[{"a":"x","b":"y"}]}""", "has no word for group 'c'")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"],"c":["z"]},"slots":[{"a":"x","b":"y","c":"z","d":"w"}]}""", "names 'd'")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"],"c":["z"]},"slots":[{"a":"x","b":"z","c":"z"}]}""", "gives 'z' for group 'b', but it is a word of group 'c'")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"],"c":["z"]},"ambiguous":{"x":{"object":"y","determiner":"y"}}}""", "needs an object {group: word}")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"]},"ambiguous":{"q":{"object":"y","determiner":"y"}}}""", "'q' is in no group")]
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"]},"ambiguous":{"x":{"object":"y","standalone":"y","determiner":"y"}}}""", "both \"object\" and \"standalone\"")]
    [InlineData("""{"attribute": """, "not valid JSON")]
    public void MalformedLexiconsAreRejectedWithTheProblemNamed(string json, string expected)
    {
        var error = Assert.Throws<InvalidInputException>(() => Parse(json));
        Assert.Contains("test lexicon", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void MissingFileAndUnknownAttributeAreNamed()
    {
        Assert.Contains("/nonexistent/race.json", Assert.Throws<InvalidInputException>(() => Lexicon.Load("/nonexistent/race.json")).Message);
        var error = Assert.Throws<InvalidInputException>(() => Lexicon.BuiltIn("race"));
        Assert.Contains("'race'", error.Message);
        Assert.Contains("gender", error.Message);
    }

    [Fact]
    public void TheNonBinaryBuiltInIsTheGenderLexiconPlusAThirdGroup()
    {
        var (gender, nb) = (Lexicon.BuiltIn("gender"), Lexicon.BuiltIn("gender-nb"));

        Assert.Equal("gender", nb.Attribute);
        Assert.Equal(["male", "female", "nonbinary"], nb.Groups);
        Assert.Equal(gender.Words["male"], nb.Words["male"]);
        Assert.Equal(gender.Words["female"], nb.Words["female"]);
        Assert.Contains(nb.Slots, s => s["male"] == "he" && s["female"] == "she" && s["nonbinary"] == "they");
        Assert.Contains(nb.Slots, s => s["male"] == "mr" && s["nonbinary"] == "mx");
        Assert.Equal(new AmbiguousSwap("them", "their"), nb.Ambiguous["her"]["nonbinary"]);
    }

    /// <summary>The religion built-in's groups are BBQ's (Parrish et al. 2022) Religion answer groups, its stated source.</summary>
    [SkippableFact]
    public void TheReligionGroupsAreThoseOfBbqsReligionCategory()
    {
        var bbqGroups = File.ReadLines(TestData.PathOf("bias/bbq/data/Religion.jsonl"))
            .SelectMany(line =>
            {
                using var item = System.Text.Json.JsonDocument.Parse(line);
                return item.RootElement.GetProperty("answer_info").EnumerateObject().Select(a => a.Value[1].GetString()!.ToLowerInvariant()).ToArray();
            })
            .Where(g => g != "unknown").ToHashSet();

        Assert.Equal(bbqGroups.Order(), Lexicon.BuiltIn("religion").Groups.Order());
    }

    [Fact]
    public void AttributeResolvesABuiltInNameOrALexiconFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("age.json", """{"attribute":"age","groups":{"young":["teen"],"old":["elderly"]}}""");

        Assert.Equal("religion", Lexicon.Resolve("religion").Attribute);
        Assert.Equal("age", Lexicon.Resolve(path).Attribute);
        Assert.Equal(["gender", "gender-nb", "religion"], Lexicon.BuiltInAttributes);
    }
}
