using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;

namespace OneShotGee.Pipeline.Tests;

public sealed class PipelineRunnerTests : IDisposable
{
    readonly string _run = Path.Combine(Directory.CreateTempSubdirectory("oneshotgee-run-").FullName, "run");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_run)!, recursive: true);

    /// <summary>Writes "<c>name</c>: inputs' contents" to a file named after itself; can be told to fail.</summary>
    sealed class WriteStep(string name, params string[] needs) : IPipelineStep
    {
        public int Runs { get; private set; }
        public bool Fail { get; set; }
        public string Name => name;
        public IReadOnlyList<string> Needs => needs;

        public IReadOnlyList<ArtifactRef> Run(StepContext context, CancellationToken ct)
        {
            Runs++;
            if (Fail) throw new InvalidOperationException($"{name} broke");
            var text = string.Join("+", needs.Select(n => File.ReadAllText(context.Artifact(n).LocalPath)));
            var path = Path.Combine(context.StepDirectory, name + ".txt");
            File.WriteAllText(path, $"{name}({text})");
            return [ArtifactRef.Of(name, path)];
        }
    }

    PipelineRunner Runner(string config = "config-a") => new(_run, "run-1", config);

    [Fact]
    public void StepsRunInOrderAndTheManifestRecordsInputsAndOutputs()
    {
        WriteStep prepare = new("prepare"), train = new("train", "prepare"), report = new("report", "prepare", "train");

        var manifest = Runner().Run([prepare, train, report], [], resume: false);

        Assert.Equal(["prepare", "train", "report"], manifest.Steps.Select(s => s.Name));
        Assert.All(manifest.Steps, s => Assert.Equal(StepStatus.Completed, s.Status));
        Assert.Equal("report(prepare()+train(prepare()))", File.ReadAllText(Path.Combine(_run, "report", "report.txt")));
        var saved = RunManifest.TryLoad(_run)!;
        Assert.Equal(manifest.Steps.Select(s => s.Outputs![0].Sha256), saved.Steps.Select(s => s.Outputs![0].Sha256));
        Assert.Equal(saved.Step("prepare")!.Outputs![0], saved.Step("train")!.Inputs![0]);
    }

    [Fact]
    public void AnInputGivenTwiceIsNamedAndNothingRuns()
    {
        var given = Path.Combine(Path.GetDirectoryName(_run)!, "given.txt");
        File.WriteAllText(given, "x");
        WriteStep step = new("train", "data");

        var error = Assert.Throws<InvalidInputException>(() =>
            Runner().Run([step], [ArtifactRef.Of("data", given), ArtifactRef.Of("data", given)], resume: false));

        Assert.Equal("input artifact 'data' is given 2 times; give each name once", error.Message);
        Assert.Equal(0, step.Runs);
        Assert.Null(RunManifest.TryLoad(_run));
    }

    [Fact]
    public void AFailedStepIsRecordedAndResumeContinuesFromIt()
    {
        WriteStep prepare = new("prepare"), train = new("train", "prepare") { Fail = true };

        var error = Assert.Throws<InvalidOperationException>(() => Runner().Run([prepare, train], [], resume: false));
        Assert.Contains("train broke", error.Message);
        var failed = RunManifest.TryLoad(_run)!;
        Assert.Equal(StepStatus.Completed, failed.Step("prepare")!.Status);
        Assert.Equal(StepStatus.Failed, failed.Step("train")!.Status);
        Assert.Equal("train broke", failed.Step("train")!.Error);
        Assert.True(failed.Step("prepare")!.Outputs![0].IsIntact());

        train.Fail = false;
        var resumed = Runner().Run([prepare, train], [], resume: true);

        Assert.Equal(1, prepare.Runs);
        Assert.Equal(2, train.Runs);
        Assert.All(resumed.Steps, s => Assert.Equal(StepStatus.Completed, s.Status));
    }

    [Fact]
    public void ResumeRerunsAStepWhoseOutputWasTamperedWith()
    {
        WriteStep prepare = new("prepare"), train = new("train", "prepare");
        Runner().Run([prepare, train], [], resume: false);
        File.AppendAllText(Path.Combine(_run, "prepare", "prepare.txt"), "!");

        Runner().Run([prepare, train], [], resume: true);

        Assert.Equal(2, prepare.Runs);
        Assert.Equal(1, train.Runs);
    }

    [Fact]
    public void AnExistingRunIsNotOverwrittenWithoutResume()
    {
        Runner().Run([new WriteStep("prepare")], [], resume: false);

        var error = Assert.Throws<InvalidInputException>(() => Runner().Run([new WriteStep("prepare")], [], resume: false));
        Assert.Contains("already holds run 'run-1'", error.Message);
    }

    [Fact]
    public void ResumingWithAnotherConfigurationIsRefused()
    {
        Runner("config-a").Run([new WriteStep("prepare")], [], resume: false);

        var error = Assert.Throws<InvalidInputException>(() => Runner("config-b").Run([new WriteStep("prepare")], [], resume: true));
        Assert.Contains("another configuration", error.Message);
    }

    [Fact]
    public void AMissingInputIsNamedBeforeTheStepRuns()
    {
        var train = new WriteStep("train", "prepared");

        var error = Assert.Throws<InvalidInputException>(() => Runner().Run([train], [], resume: false));

        Assert.Contains("'prepared'", error.Message);
        Assert.Equal(0, train.Runs);
    }

    /// <summary>Runs <c>meanwhile</c> in the middle of its own work: another host's step in the same run directory.</summary>
    sealed class OverlappingStep(string name, Action meanwhile) : IPipelineStep
    {
        public string Name => name;
        public IReadOnlyList<string> Needs => [];

        public IReadOnlyList<ArtifactRef> Run(StepContext context, CancellationToken ct)
        {
            meanwhile();
            var path = Path.Combine(context.StepDirectory, name + ".txt");
            File.WriteAllText(path, name);
            return [ArtifactRef.Of(name, path)];
        }
    }

    [Fact]
    public void TwoRunnersSharingTheRunDirectoryKeepEachOthersSteps()
    {
        // Two trainer replicas with one work root, training two variants of the run at once.
        Runner().Run([new WriteStep("prepare")], [], resume: false);
        var gee = new WriteStep("train-gee");
        var em = new OverlappingStep("train-em", () => Runner().Run([gee], [], resume: true));

        Runner().Run([em], [], resume: true);

        var saved = RunManifest.TryLoad(_run)!;
        Assert.Equal(["prepare", "train-em", "train-gee"], saved.Steps.Select(s => s.Name));
        Assert.All(saved.Steps, s => Assert.Equal(StepStatus.Completed, s.Status));
        Assert.Empty(Directory.GetFiles(_run, "*.tmp"));
    }
}
