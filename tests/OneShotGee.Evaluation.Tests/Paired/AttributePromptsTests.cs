using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Paired;

public sealed class AttributePromptsTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("gender")]
    public void GenderAndNoAttributeAreTheWinogenderTemplatesNamedAsGender(string? attribute)
    {
        var set = AttributePrompts.Read(null, attribute);

        Assert.Equal(WinogenderTemplates.Build().Sha256, set.Sha256);
        Assert.Equal(WinogenderTemplates.Name, set.Name);
        Assert.Equal(("gender", "gender", Lexicon.BuiltIn("gender").Id), (set.Attribute!.Name, set.Attribute.Lexicon, set.Attribute.LexiconId));
        Assert.Equal(["male", "female"], set.Attribute.Groups);
    }

    [Fact]
    public void AnotherAttributeIsItsLexiconsTemplatesAndALexiconFileIsNamedByItsFileName()
    {
        Assert.Equal("religion-templates", AttributePrompts.Read(null, "religion").Name);
        var file = _dir.Write("age.json", """
            {"attribute": "age", "groups": {"young": ["teen"], "adult": ["adult"], "old": ["senior"]},
             "slots": [{"young": "teen", "adult": "adult", "old": "senior"}]}
            """);

        var set = AttributePrompts.Read(null, file);

        Assert.Equal(("age", "age.json", "age-templates"), (set.Attribute!.Name, set.Attribute.Lexicon, set.Name));
        Assert.Equal(["young", "adult", "old"], set.Groups);
        Assert.Equal(LexiconTemplates.Frames.Count, set.Pairs.Count);
    }

    [Fact]
    public void AFileReadWithAnAttributeMustHoldExactlyItsGroups()
    {
        var triples = _dir.Write("triples.jsonl", string.Join("\n",
            """{"set_id": "a", "group": "nonbinary", "text": "They ran"}""",
            """{"set_id": "a", "group": "male", "text": "He ran"}""",
            """{"set_id": "a", "group": "female", "text": "She ran"}"""));

        Assert.Null(AttributePrompts.Read(triples, null).Attribute);
        Assert.Equal("gender-nb", AttributePrompts.Read(triples, "gender-nb").Attribute!.Lexicon);
        var error = Assert.Throws<InvalidInputException>(() => AttributePrompts.Read(triples, "gender"));
        Assert.Contains("has the groups nonbinary, male, female, but attribute 'gender'", error.Message);
    }

    [Fact]
    public void AnUnknownAttributeNamesTheBuiltIns()
    {
        var error = Assert.Throws<InvalidInputException>(() => AttributePrompts.Read(null, "age"));

        Assert.Contains("no built-in lexicon for attribute 'age'", error.Message);
        Assert.Contains("religion", error.Message);
    }
}
