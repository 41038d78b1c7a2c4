using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Tests;

namespace OneShotGee.Pipeline.Tests.Runs;

public sealed class GeeRunTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-geerun-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>stories260k, 16 synthetic prompts, one GEE step, a greedy paired gap on 8 held-out pairs.</summary>
    internal static RunConfig TinyRun() => new()
    {
        Model = Fixtures.PathOf("models/stories260k"),
        Data = new JsonObject { ["synthetic"] = 16 },
        HeldOut = new JsonObject { ["synthetic"] = 16 },
        Train = new JsonObject
        {
            ["effective_batch"] = 4, ["micro_batch"] = 2, ["max_new_tokens"] = 4, ["max_steps"] = 1, ["device"] = "cpu",
        },
        Variants = [new JsonObject { ["name"] = "gee" }],
        Evaluation = new JsonObject
        {
            ["paired_options"] = new JsonObject { ["greedy"] = true, ["max_new_tokens"] = 4 },
            ["device"] = "cpu",
        },
    };

    [Fact]
    public void ARunPreparesEvaluatesTrainsAndReportsWithEveryStepInTheManifest()
    {
        var runDir = Path.Combine(_dir, "run");

        var report = GeeRun.Execute(TinyRun(), runDir, resume: false);

        Assert.Equal(["baseline", "gee"], report.Models.Select(m => m.Name));
        Assert.Equal("baseline", report.Baseline);
        Assert.Equal(8, report.Models[0].Paired!.PerPair.Count); // 16 held-out prompts = 8 pairs
        Assert.Single(report.TrainingRuns);
        var manifest = RunManifest.TryLoad(runDir)!;
        Assert.Equal(
            ["prepare-train-data", "prepare-held-out", "evaluate-baseline", "train-gee", "evaluate-gee", "report"],
            manifest.Steps.Select(s => s.Name));
        Assert.All(manifest.Steps, s => Assert.Equal(StepStatus.Completed, s.Status));
        Assert.True(File.Exists(Path.Combine(runDir, "report", "report.md")));
        Assert.True(File.Exists(Path.Combine(runDir, GeeRun.ConfigFile)));
        Assert.Equal(manifest.Step("train-gee")!.Outputs![0], manifest.Step("evaluate-gee")!.Inputs![0]);
    }

    [Fact]
    public void EachStepRecordsItsHeadlineNumbersReadFromWhatItWrote()
    {
        var runDir = Path.Combine(_dir, "run");
        var report = GeeRun.Execute(TinyRun(), runDir, resume: false);
        var manifest = RunManifest.TryLoad(runDir)!;

        var trained = manifest.Step("train-gee")!.Metrics!;
        using var lastLine = JsonDocument.Parse(File.ReadLines(Path.Combine(runDir, "train-gee", "metrics.jsonl")).Last());
        var line = lastLine.RootElement;
        Assert.Equal(1, trained["step"]);
        Assert.Equal(line.GetProperty("loss").GetDouble(), trained["loss"]);
        Assert.Equal(line.GetProperty("entropy_gap").GetDouble(), trained["entropy_gap"]);
        Assert.Equal(line.GetProperty("h_g").GetProperty("female").GetDouble(), trained["h_g.female"]);

        var (baseline, gee) = (report.Models[0].Paired!, report.Models[1].Paired!);
        Assert.Equal(baseline.Gap, manifest.Step("evaluate-baseline")!.Metrics!["paired.gap"]);
        Assert.Equal(gee.GroupEntropies["male"], manifest.Step("evaluate-gee")!.Metrics!["paired.h.male"]);
        var reported = manifest.Step("report")!.Metrics!;
        Assert.Equal(1 - gee.Gap / baseline.Gap, reported["gee.gap_reduction"], 12);
        Assert.False(reported.ContainsKey("baseline.gap_reduction"));
        Assert.Empty(manifest.Step("prepare-train-data")!.Metrics!);
    }

    [Fact]
    public void AVariantsKlCoefAnchorsItsTrainingAndItsKlIsRecorded()
    {
        var runDir = Path.Combine(_dir, "run");
        var anchored = TinyRun() with { Variants = [new JsonObject { ["name"] = "gee", ["kl_coef"] = 0.1 }] };

        GeeRun.Execute(anchored, runDir, resume: false);

        // One step: sampled from the starting model itself, so its KL to the reference is 0.
        Assert.Equal(0.0, RunManifest.TryLoad(runDir)!.Step("train-gee")!.Metrics!["kl"]);
    }

    [Fact]
    public void TheDemoGivesItsKlCoefToTheGeeVariantOnly()
    {
        var variants = DemoRun.Config(directory: "demo", klCoef: 0.2).NamedVariants();

        Assert.Equal(0.2, variants.Single(v => v.Name == "gee").Train["kl_coef"]!.GetValue<double>());
        Assert.False(variants.Single(v => v.Name == "em").Train.ContainsKey("kl_coef"));
        Assert.All(DemoRun.Config("demo").NamedVariants(), v => Assert.False(v.Train.ContainsKey("kl_coef")));
    }

    [Fact]
    public void TheDemoCountsItsSizesInSetsOfTheAttributesGroups()
    {
        var gender = DemoRun.Config("demo");
        var threeGroups = DemoRun.Config("demo", attribute: "gender-nb");

        Assert.False(gender.Data!.ContainsKey("attribute"));
        Assert.Equal([256, 128, 8, 4], Sizes(gender));
        Assert.Equal("gender-nb", threeGroups.Data!["attribute"]!.GetValue<string>());
        Assert.Equal([384, 126, 12, 6], Sizes(threeGroups));

        static int[] Sizes(RunConfig c) => [.. new[] { c.Data!["synthetic"], c.HeldOut!["synthetic"], c.Train!["effective_batch"], c.Train["micro_batch"] }
            .Select(n => n!.GetValue<int>())];
    }

    /// <summary>The gender demo keeps τ at train's default and its five steps; only K > 2 runs at τ = 1 for four (docs/demo-model.md).</summary>
    [Fact]
    public void OnlyTheDemoWithMoreThanTwoGroupsEqualizesEntropyAtTemperatureOne()
    {
        var gender = DemoRun.Config("demo").Train!;
        var threeGroups = DemoRun.Config("demo", attribute: "gender-nb").Train!;

        Assert.False(gender.ContainsKey("tau"));
        Assert.Equal(5, gender["max_steps"]!.GetValue<int>());
        Assert.Equal(1.0, threeGroups["tau"]!.GetValue<double>());
        Assert.Equal(4, threeGroups["max_steps"]!.GetValue<int>());
    }

    [Fact]
    public void AnEvaluationLimitDrawsTheSameHeldOutPairsForEveryModelAndIsRecorded()
    {
        var tiny = TinyRun();
        tiny.Evaluation!["limit"] = 5;
        tiny.Evaluation!["limit_seed"] = 3;

        var report = GeeRun.Execute(tiny, Path.Combine(_dir, "run"), resume: false);

        var pairIds = report.Models.Select(m => m.Paired!.PerPair.Select(p => p.PairId).ToList()).ToList();
        Assert.Equal(5, pairIds[0].Count);
        Assert.Equal(pairIds[0], pairIds[1]);
        Assert.All(report.Models, m => Assert.Equal("subset 5 of 8, seed 3", m.Benchmarks.Single(b => b.Benchmark == "paired").Subset));
        Assert.All(report.Models, m => Assert.Equal((5, 3), (m.Settings!.Limit, m.Settings.LimitSeed)));
    }

    [Theory]
    [InlineData("""{"limit": 0}""", "--limit (limit) must be at least 1")]
    [InlineData("""{"task_max_new_tokens": 0}""", "--task-max-new-tokens (task_max_new_tokens)")]
    [InlineData("""{"paired_options": {"top_p": 0}}""", "--top-p (top_p) must be in (0, 1]")]
    [InlineData("""{"paired_options": {"temperature": -1}}""", "--temperature (temperature)")]
    [InlineData("""{"suite": "quick", "limit": 8}""", "not both")]
    public void OutOfRangeEvaluationSettingsAreRefusedBeforeAnythingRuns(string evaluation, string expected)
    {
        var config = TinyRun() with { Evaluation = JsonNode.Parse(evaluation)!.AsObject() };

        Assert.Contains(expected, Assert.Throws<InvalidInputException>(() => GeeRun.Plan(config)).Message);
    }

    [Fact]
    public void UnknownSettingsAreNamedWithTheKnownOnes()
    {
        var config = TinyRun() with { Train = new JsonObject { ["learning_rat"] = 1e-3 } };

        var error = Assert.Throws<InvalidInputException>(() => GeeRun.Plan(config));

        Assert.Contains("train: unknown setting 'learning_rat'", error.Message);
        Assert.Contains("learning_rate", error.Message);
    }

    [Theory]
    [InlineData("""{"name": "gee", "lambda": -1}""", "--lambda")]
    [InlineData("""{"name": "gee", "source_weights": {"gsm8k": 0.7, "synthetic": 0}}""", "--source-weights must give each source a positive weight")]
    [InlineData("""{"name": "gee", "kl_coef": -0.1}""", "--kl-coef must be a finite number >= 0")]
    [InlineData("""{"name": "../escape"}""", "artifact name")]
    [InlineData("""{"name": "baseline"}""", "reserved")]
    [InlineData("""{"name": "lora", "lora": {"rank": 4, "alpha": 8}}""", "merge")]
    public void BadVariantsAreRejectedBeforeAnythingRuns(string variant, string expected)
    {
        var config = TinyRun() with { Variants = [JsonNode.Parse(variant)!.AsObject()] };

        var error = Assert.Throws<InvalidInputException>(() => GeeRun.Plan(config));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AMissingOrMalformedConfigFileIsNamed()
    {
        var missing = Path.Combine(_dir, "none.json");
        Assert.Contains("none.json", Assert.Throws<InvalidInputException>(() => RunConfig.Load(missing)).Message);

        var malformed = Path.Combine(_dir, "bad.json");
        File.WriteAllText(malformed, """{"model": "demo", "variants": 3}""");
        Assert.Contains("bad.json", Assert.Throws<InvalidInputException>(() => RunConfig.Load(malformed)).Message);
    }
}
