using OneShotGee.Data;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Training.Tests.DemoModel;

public sealed class NeutralCountingTests
{
    [Fact]
    public void AContinuationIsTheNextThreeNumberWords()
    {
        var document = NeutralCounting.Generate(200, seed: 3, heldOut: false).First(d => d.Prompt.EndsWith(": seven", StringComparison.Ordinal));

        Assert.Equal(" eight nine ten.", document.Response);
        Assert.Equal("eight nine ten", NeutralCounting.Answer(document));
        Assert.Equal(NeutralCounting.Group, document.Group);
    }

    [Fact]
    public void HeldOutPromptsAreDistinctAndNeverInThePretrainingCorpus()
    {
        var heldOut = NeutralCounting.Generate(200, seed: 99, heldOut: true);
        var corpus = DemoRecipe.Default.Corpus().Select(d => d.Prompt).ToHashSet();

        Assert.Equal(200, heldOut.Select(d => d.Prompt).Distinct().Count());
        Assert.DoesNotContain(heldOut, d => corpus.Contains(d.Prompt));
        // Every start word is held out for some subject and item, so the held-out set asks for every successor.
        Assert.Equal(NeutralCounting.NumberWords.Count - NeutralCounting.Continued, heldOut.Select(d => d.Prompt.Split(' ')[^1]).Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => NeutralCounting.Generate(10_000, seed: 1, heldOut: true));
    }

    [Fact]
    public void NoCountingDocumentHasAGenderedWord()
    {
        var detector = new GroupDetector(Lexicon.BuiltIn("gender"));

        Assert.All(NeutralCounting.Generate(500, seed: 1, heldOut: false), d => Assert.Null(detector.Detect(d.Text)));
    }

    [Fact]
    public void ThePretrainingCorpusHoldsTheTwinsThenTheCountingDocumentsAndItsHashCoversBoth()
    {
        var recipe = DemoRecipe.Default;
        var corpus = recipe.Corpus();

        Assert.Equal(2 * recipe.CorpusPairs + recipe.NeutralDocuments, corpus.Count);
        Assert.Equal(recipe.NeutralDocuments, corpus.Count(d => d.Group == NeutralCounting.Group));
        Assert.NotEqual(recipe.Hash(corpus), recipe.Hash([.. corpus.Where(d => d.Group != NeutralCounting.Group)]));
        Assert.NotEqual(DemoModelCache.PathFor(recipe), DemoModelCache.PathFor(recipe with { NeutralDocuments = 100 }));
    }

    [Theory]
    [InlineData(null, "d0958ba158461690")]         // docs/experiments.md, docs/demo-model.md
    [InlineData("gender-nb", "dd6554b539c4fc33")]  // docs/demo-model.md, "Other attributes"
    public void TheDocumentedRecipeHashesAreTheRecipes(string? attribute, string hash)
    {
        var recipe = DemoRecipe.For(attribute);

        Assert.Equal(hash, recipe.Hash(recipe.Corpus()));
    }
}
