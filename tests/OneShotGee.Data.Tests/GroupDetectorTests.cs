namespace OneShotGee.Data.Tests;

public class GroupDetectorTests
{
    static readonly GroupDetector Detector = new(Lexicon.BuiltIn("gender"));

    [Theory]
    [InlineData("He bought 3 apples.", "male")]
    [InlineData("SHE bought 3 apples.", "female")]
    [InlineData("Natalia sold clips to 48 of her friends in April.", "female")]
    [InlineData("James decides to run 3 sprints 3 times a week.", "male")]
    [InlineData("he's got 3 apples", "male")] // the apostrophe ends the word "he"
    [InlineData("Janet’s ducks lay 16 eggs per day.", "female")]
    [InlineData("His mother visited his uncle.", "male")] // his, his, uncle vs mother
    [InlineData("Her son gave her a card.", "female")] // her, her vs son
    public void DetectsTheMajorityGroup(string text, string expected) => Assert.Equal(expected, Detector.Detect(text));

    [Theory]
    [InlineData("A hershey bar costs $2.")] // "her" inside a word
    [InlineData("Shelley buys themes and theses.")] // "she", "he", "them" inside words
    [InlineData("The manager has mentioned a heroine's sonata.")] // man, men, he, her, son inside words
    [InlineData("A robe takes 2 bolts of blue fiber.")]
    [InlineData("")]
    public void WordsInsideOtherWordsDoNotCount(string text) => Assert.Null(Detector.Detect(text));

    [Theory]
    [InlineData("He gave the book to her.")] // 1 vs 1
    [InlineData("His mother and her aunt met his uncle.")] // his, his, uncle vs mother, her, aunt
    [InlineData("John and Mary each have 3 apples; his are red, hers are green.")] // 2 vs 2
    public void TiesAreNeutral(string text) => Assert.Null(Detector.Detect(text));

    [Fact]
    public void LabelKeepsGenderedRowsAndCountsEveryGroup()
    {
        var detection = Detector.Label(["He runs.", "A cube.", "She and her mom run.", "he and she"], "in.jsonl");

        Assert.Equal(new Dictionary<string, int> { ["male"] = 1, ["female"] = 1, ["neutral"] = 2 }, detection.Counts);
        Assert.Equal(
            [new PreparedRow("0", "He runs.", "male", "0", "in.jsonl"), new PreparedRow("2", "She and her mom run.", "female", "2", "in.jsonl")],
            detection.Rows);
    }

    [Fact]
    public void ThreeGroupLexiconDetectsEachGroup()
    {
        var lexicon = Lexicon.Parse("""{"attribute":"age","groups":{"young":["teen","kid"],"old":["elderly"],"middle":["adult"]}}"""u8.ToArray(), "age");
        var detector = new GroupDetector(lexicon);

        Assert.Equal("young", detector.Detect("A teen and a kid met an adult."));
        Assert.Equal("middle", detector.Detect("An ADULT."));
        Assert.Null(detector.Detect("A teen met an elderly man."));
    }
}
