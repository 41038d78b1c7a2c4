using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Data;
using OneShotGee.Core;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.Steps;
using OneShotGee.Tests;

namespace OneShotGee.Pipeline.Tests.Runs;

/// <summary>The paired gap after training is measured on prompts that were not trained on, or the run says so.</summary>
public sealed class HeldOutTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // 12 GSM8K-format questions, 8 of them gendered: counterfactual augmentation gives 8 pairs, 16 prompts.
    static readonly string Questions = Fixtures.PathOf("data/math/gsm8k_test.jsonl");

    /// <summary>stories260k trained one step on the GSM8K-format fixture, with the given held-out section.</summary>
    static RunConfig FileRun(JsonObject? heldOut) => new()
    {
        Model = Fixtures.PathOf("models/stories260k"),
        Data = new JsonObject { ["input_path"] = Questions, ["text_column"] = "question", ["augment"] = "counterfactual" },
        HeldOut = heldOut,
        Train = new JsonObject
        {
            ["effective_batch"] = 4, ["micro_batch"] = 2, ["max_new_tokens"] = 4, ["max_steps"] = 1, ["device"] = "cpu",
        },
        Variants = [new JsonObject { ["name"] = "gee" }],
        Evaluation = new JsonObject
        {
            ["benchmarks"] = new JsonArray("paired"),
            ["paired_options"] = new JsonObject { ["greedy"] = true, ["max_new_tokens"] = 2 },
            ["device"] = "cpu",
        },
    };

    static JsonObject TheTrainingFileAgain(bool allowOverlap = false)
    {
        var section = new JsonObject { ["input_path"] = Questions };
        if (allowOverlap) section["allow_overlap"] = true;
        return section;
    }

    [Fact]
    public void AHeldOutSetThatIsTheTrainingDataIsRefusedBeforeAnyTraining()
    {
        var runDir = _dir.File("run");

        var error = Assert.Throws<InvalidInputException>(() => GeeRun.Execute(FileRun(TheTrainingFileAgain()), runDir, resume: false));

        Assert.Contains("held_out: 16 of its prompts are also in the training data", error.Message);
        Assert.Contains("\"allow_overlap\": true", error.Message);
        var steps = RunManifest.TryLoad(runDir)!.Steps;
        Assert.Equal(StepStatus.Failed, steps.Single(s => s.Name == "prepare-held-out").Status);
        Assert.DoesNotContain(steps, s => s.Name == "train-gee" && s.Status != StepStatus.Pending);
    }

    [Fact]
    public void AnAllowedOverlapIsMeasuredAndCountedInTheReport()
    {
        var report = GeeRun.Execute(FileRun(TheTrainingFileAgain(allowOverlap: true)), _dir.File("run"), resume: false);

        Assert.Equal(16, report.PairedPromptOverlap);
        Assert.Equal(8, report.Models[0].Paired!.PerPair.Count);
    }

    [Fact]
    public void WithoutAHeldOutSectionTheBuiltInTemplatesAreMeasuredAndShareNothingWithTheData()
    {
        var report = GeeRun.Execute(FileRun(heldOut: null), _dir.File("run"), resume: false);

        Assert.Equal(0, report.PairedPromptOverlap);
        Assert.Equal(WinogenderTemplates.Build().Name, report.Models[0].Paired!.PromptSet);
        Assert.Contains("Paired prompts also in the training data: 0 (held out).", File.ReadAllText(_dir.File("run/report/report.md")));
    }

    [Fact]
    public void AHeldOutSectionNeverInheritsTheTrainingInput()
    {
        var synthetic = GeeRun.Plan(FileRun(new JsonObject { ["synthetic"] = 16 })); // no "synthetic": null needed in data
        Assert.Contains(synthetic, s => s.Name == "prepare-held-out");

        var error = Assert.Throws<InvalidInputException>(() => GeeRun.Plan(FileRun(new JsonObject())));
        Assert.StartsWith("held_out: give exactly one of InputPath", error.Message);
    }

    [Fact]
    public void TheDemosHeldOutPromptsShareNoneWithItsTrainingPrompts()
    {
        var config = DemoRun.Config(directory: _dir.File("demo"));
        var prepareSteps = GeeRun.Plan(config).Take(2).ToList();
        Assert.Equal(["prepare-train-data", "prepare-held-out"], prepareSteps.Select(s => s.Name));

        var manifest = GeeRun.Runner(config, _dir.File("run"), "demo").Run(prepareSteps, [], resume: false);

        var artifacts = manifest.Steps.SelectMany(s => s.Outputs!).ToDictionary(o => o.Name, o => o.LocalPath);
        Assert.Equal(0, PrepareHeldOutStep.Overlap(artifacts["held-out"], artifacts["train-data"]));
    }

    [Fact]
    public void TheReportCountsTheOverlapOfWhicheverPairedSetWasMeasured()
    {
        var questions = _dir.File("questions.parquet");
        PrepareStep.Run(new PrepareOptions(questions, Questions, TextColumn: "question", Augment: AugmentMode.Counterfactual));
        var template = WinogenderTemplates.Build().Pairs[0].Texts[0];
        var withTemplate = _dir.File("with-template.parquet");
        PrepareStep.Run(new PrepareOptions(withTemplate, _dir.Write("t.jsonl", JsonSerializer.Serialize(new { problem = template.ToUpperInvariant() })),
            Augment: AugmentMode.Counterfactual));

        Assert.Equal(0, ReportStep.PairedPromptOverlap(questions, heldOutDataset: null, pairedPromptsFile: null)); // templates
        Assert.InRange(ReportStep.PairedPromptOverlap(withTemplate, heldOutDataset: null, pairedPromptsFile: null), 1, 2); // a template and maybe its twin
        Assert.Equal(16, ReportStep.PairedPromptOverlap(questions, heldOutDataset: null, pairedPromptsFile: questions)); // every prompt
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("1")]
    [InlineData("{}")]
    public void AllowOverlapIsABoolean(string value)
    {
        var heldOut = new JsonObject { ["synthetic"] = 16, ["allow_overlap"] = JsonNode.Parse(value) };

        var error = Assert.Throws<InvalidInputException>(() => GeeRun.Plan(FileRun(heldOut)));

        Assert.StartsWith("held_out: allow_overlap must be true or false, got " + value, error.Message);
    }
}
