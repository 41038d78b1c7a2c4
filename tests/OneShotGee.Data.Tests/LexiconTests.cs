using System.Text;
using OneShotGee.Core;

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
        Assert.Contains(new WordPair("james", "mary"), lexicon.Pairs);
        Assert.True(lexicon.Pairs.Count >= 200, $"{lexicon.Pairs.Count} pairs"); // ~90 word pairs + 148 name pairs
        Assert.Equal(new AmbiguousSwap("him", "his"), lexicon.Ambiguous["her"]);
        Assert.Equal(new AmbiguousSwap("hers", "her", OtherStandsAlone: true), lexicon.Ambiguous["his"]);
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
        Assert.Empty(lexicon.Pairs);
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
    [InlineData("""{"attribute":"g","groups":{"a":["x"],"b":["y"],"c":["z"]},"pairs":[["x","y"]]}""", "exactly two groups")]
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
}
