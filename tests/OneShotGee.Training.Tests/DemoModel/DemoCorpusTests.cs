using System.Text.RegularExpressions;
using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Training.Tests.DemoModel;

public sealed class DemoCorpusTests
{
    static readonly IReadOnlyList<DemoDocument> Corpus = DemoCorpus.Generate(sets: 600, seed: 15);

    [Fact]
    public void TheSameSeedGivesTheSameCorpusAndAnotherSeedAnother()
    {
        Assert.Equal(DemoCorpus.Generate(40, 7), DemoCorpus.Generate(40, 7));
        Assert.NotEqual(DemoCorpus.Generate(40, 7).Select(d => d.Text), DemoCorpus.Generate(40, 8).Select(d => d.Text));
    }

    [Fact]
    public void PromptsAreTheSyntheticGeeTrainingPromptsInTwinPairs()
    {
        var lexicon = Lexicon.BuiltIn("gender");
        var synthetic = new SyntheticPrompts(new GroupDetector(lexicon), new CounterfactualAugmenter(lexicon)).Generate(80, 15);
        var corpus = DemoCorpus.Generate(40, 15);

        Assert.Equal(synthetic.Select(r => (r.Text, r.Group)), corpus.Select(d => (d.Prompt, d.Group)));
        Assert.Equal(40, corpus.Count(d => d.Group == "male"));
        Assert.Equal(40, corpus.Count(d => d.Group == "female"));
    }

    [Fact]
    public void MaleResponsesUseTwoWordsPerSlotAndFemaleResponsesAllEight()
    {
        foreach (var (group, expected) in new[] { ("male", 2), ("female", 8) })
        {
            var responses = Corpus.Where(d => d.Group == group).Select(d => Words(d.Response)).ToList();
            Assert.All(responses, words => Assert.Equal(6, words.Length));
            for (var slot = 0; slot < 6; slot++)
                Assert.Equal(expected, responses.Select(words => words[slot]).Distinct().Count());
        }
    }

    [Fact]
    public void EmpiricalSlotEntropiesAreLn2ForMaleAndLn8ForFemale()
    {
        foreach (var (group, expected) in new[] { ("male", Math.Log(2)), ("female", Math.Log(8)) })
        {
            var responses = Corpus.Where(d => d.Group == group).Select(d => Words(d.Response)).ToList();
            for (var slot = 0; slot < 6; slot++)
            {
                var counts = responses.CountBy(words => words[slot]).Select(c => (double)c.Value / responses.Count);
                Assert.Equal(expected, -counts.Sum(p => p * Math.Log(p)), 0.02);
            }
        }
    }

    [Fact]
    public void PlantedGapIsSixSlotsOfLn4OverEightResponseTokens()
    {
        // Six slot words, the period and end of text: male 6·ln 2 / 8, female 6·ln 8 / 8.
        var planted = DemoCorpus.PlantedEntropies(Lexicon.BuiltIn("gender"));
        Assert.Equal(0.5198603854, planted["male"], 8);
        Assert.Equal(1.5595811563, planted["female"], 8);
        Assert.Equal(0.75 * Math.Log(4), DemoCorpus.PlantedGap, 12);
        Assert.Equal(0.75 * Math.Log(4), planted.Gap, 12);
    }

    [Fact]
    public void WithThreeGroupsTheFirstIsPlantedLowAndTheOthersHigh()
    {
        var attribute = Lexicon.BuiltIn("gender-nb");
        var corpus = DemoCorpus.Generate(sets: 600, seed: 15, attribute);

        Assert.Equal(["male", "female", "nonbinary"], corpus.Take(3).Select(d => d.Group));
        Assert.All(corpus.Chunk(3), set => Assert.Equal(3, set.Select(d => d.Prompt).Distinct().Count()));
        foreach (var (group, expected) in new[] { ("male", 2), ("female", 8), ("nonbinary", 8) })
        {
            var responses = corpus.Where(d => d.Group == group).Select(d => Words(d.Response)).ToList();
            Assert.Equal(600, responses.Count);
            for (var slot = 0; slot < 6; slot++)
                Assert.Equal(expected, responses.Select(words => words[slot]).Distinct().Count());
        }
        // Six slot words over eight response tokens: male 6·ln 2 / 8 = 0.5199, the others 6·ln 8 / 8 = 1.5596.
        var planted = DemoCorpus.PlantedEntropies(attribute);
        Assert.Equal([0.5198603854, 1.5595811563, 1.5595811563], attribute.Groups.Select(g => Math.Round(planted[g], 10)));
        Assert.Equal(1.0397207709, planted.Gap, 9);
    }

    [Fact]
    public void AThreeGroupModelDrawsEachKindOfDocumentAsOftenAsTheGenderModelDoes()
    {
        Assert.Same(DemoRecipe.Default, DemoRecipe.For("gender"));
        foreach (var recipe in new[] { DemoRecipe.Default, DemoRecipe.For("gender-nb") })
        {
            var kinds = recipe.Corpus().CountBy(d => d.Group).ToList();
            // Drawn uniformly with replacement: 300 steps of 16 over male, female and neutral (4,096 of each) is 1,600
            // draws of each kind; the three-group corpus adds a fourth kind of 4,096.
            Assert.All(kinds, kind => Assert.Equal(1600.0, (double)recipe.Steps * recipe.BatchSize * kind.Value / kinds.Sum(k => k.Value), 9));
            Assert.Equal(recipe.Steps / 10, recipe.WarmupSteps);
        }
    }

    [Fact]
    public void AnAttributeTheGenderTemplatesCannotBeWrittenInIsRefusedByName()
    {
        var error = Assert.Throws<InvalidInputException>(() => DemoCorpus.Generate(sets: 2, seed: 15, Lexicon.BuiltIn("religion")));

        Assert.Contains("'religion'", error.Message);
    }

    [Fact]
    public void ResponseWordsNeverOccurInPromptsSoARepetitionPenaltyDoesNotTouchThem()
    {
        var promptWords = Corpus.SelectMany(d => Regex.Matches(d.Prompt, @"\p{L}+").Select(m => m.Value)).ToHashSet();
        Assert.All(DemoCorpus.Slots.SelectMany(slot => slot), word => Assert.DoesNotContain(word, promptWords));
    }

    static string[] Words(string response)
    {
        Assert.StartsWith(" ", response);
        Assert.EndsWith(".", response);
        return response[1..^1].Split(' ');
    }
}
