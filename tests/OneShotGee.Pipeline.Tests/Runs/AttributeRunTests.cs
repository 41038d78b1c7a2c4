using System.Text.Json.Nodes;
using OneShotGee.Data;
using OneShotGee.Pipeline.Config;
using OneShotGee.Tests;

namespace OneShotGee.Pipeline.Tests.Runs;

/// <summary>A run measures the paired gap over the attribute it trains on, and its report says which one.</summary>
public sealed class AttributeRunTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AGenderNbRunWithoutPairedPromptsMeasuresGenderNbsTemplatesAndItsReportNamesThem()
    {
        var config = new RunConfig
        {
            Model = Fixtures.PathOf("models/stories260k"),
            Data = new JsonObject { ["synthetic"] = 12, ["attribute"] = "gender-nb" },
            Train = new JsonObject { ["effective_batch"] = 6, ["micro_batch"] = 3, ["max_new_tokens"] = 2, ["max_steps"] = 1, ["device"] = "cpu" },
            Variants = [new JsonObject { ["name"] = "gee" }],
            Evaluation = new JsonObject
            {
                ["benchmarks"] = new JsonArray("paired"), ["limit"] = 3,
                ["paired_options"] = new JsonObject { ["greedy"] = true, ["max_new_tokens"] = 2 }, ["device"] = "cpu",
            },
        };

        var report = GeeRun.Execute(config, _dir.File("run"), resume: false);

        var attribute = Assert.Single(report.Attributes);
        Assert.Equal(("gender", "gender-nb", Lexicon.BuiltIn("gender-nb").Id), (attribute.Name, attribute.Lexicon, attribute.LexiconId));
        Assert.All(report.Models, m => Assert.Equal("gender-nb-templates", m.Paired!.PromptSet));
        Assert.All(report.Models, m => Assert.Equal(["male", "female", "nonbinary"], m.Paired!.GroupEntropies.Keys));
        Assert.Equal(0, report.PairedPromptOverlap);
        Assert.Contains("Attribute **gender** (lexicon `gender-nb`", File.ReadAllText(_dir.File("run/report/report.md")));
    }

    // A copy of a lexicon that trains and augments fine but cannot write its paired templates (SOURCES.md).
    string AgeLexicon()
    {
        var copy = _dir.File("age.json");
        File.Copy(Fixtures.PathOf("data/groups/age_untemplatable.json"), copy);
        return copy;
    }

    static RunConfig AgeRun(string lexicon, bool heldOut) => new()
    {
        Model = Fixtures.PathOf("models/stories260k"),
        Data = new JsonObject { ["synthetic"] = 12, ["attribute"] = lexicon },
        HeldOut = heldOut ? new JsonObject { ["synthetic"] = 12 } : null,
        Evaluation = new JsonObject { ["benchmarks"] = new JsonArray("paired") },
    };

    [Fact]
    public void APlanReadsNoLexiconFileSoAWorkflowCanReplayItAnywhere()
    {
        var lexicon = AgeLexicon();
        File.Delete(lexicon);

        Assert.NotEmpty(GeeRun.Plan(AgeRun(lexicon, heldOut: false)));
    }

    [Fact]
    public void ARunRefusesAnAttributeThatCannotWriteItsTemplatesBeforeAnyStepButNotWhenItMeasuresItsHeldOutSet()
    {
        var lexicon = AgeLexicon();

        var error = Assert.Throws<Core.InvalidInputException>(() => GeeRun.Execute(AgeRun(lexicon, heldOut: false), _dir.File("run"), resume: false));
        Assert.Contains("\"The word \"Teenager\" makes me think of\"", error.Message);
        Assert.False(Directory.Exists(_dir.File("run")));

        // With a held-out set the paired gap measures its prepared sets, so only the attribute itself must resolve.
        var plan = GeeRun.Plan(AgeRun(lexicon, heldOut: true));
        plan.OfType<Pipeline.Steps.EvaluateModelStep>().First().CheckPairedInputs();
    }
}
