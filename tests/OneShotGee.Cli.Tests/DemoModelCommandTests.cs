using System.Text.Json;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Cli.Tests;

public sealed class DemoModelCommandTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("oneshotgee-cli-demo-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // A cache entry for the default recipe, so the command finds it instead of pretraining for a minute.
    string CachedModel()
    {
        var dir = Directory.CreateDirectory(DemoModelCache.PathFor(DemoRecipe.Default, _root)).FullName;
        new DemoModelCard(Path.GetFileName(dir), DemoRecipe.Default, DemoCorpus.Version, VocabSize: 748, Parameters: 1,
            FinalLoss: 0.5, PlantedEntropy: Entropies(0.52, 1.56), MeasuredEntropy: Entropies(0.625, 1.5),
            BuildSeconds: 1).Write(dir);
        return dir;
    }

    static GroupEntropies Entropies(double male, double female) => new(new Dictionary<string, double> { ["male"] = male, ["female"] = female });

    [Fact]
    public async Task PrintsTheCachedModelsDirectoryWithoutBuilding()
    {
        var dir = CachedModel();

        var result = await CliRunner.RunAsync("demo-model", "--cache-dir", _root);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(dir, result.Output.Trim());
        Assert.Equal("", result.Error);
        Assert.Single(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public async Task JsonCarriesThePathAndTheMeasuredGap()
    {
        var dir = CachedModel();

        var result = await CliRunner.RunAsync("demo-model", "--cache-dir", _root, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(dir, json.RootElement.GetProperty("path").GetString());
        Assert.Equal(0.875, json.RootElement.GetProperty("measured_entropy").GetProperty("gap").GetDouble(), 12);
        Assert.Equal(DemoRecipe.Default.Steps, json.RootElement.GetProperty("recipe").GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task ACacheDirThatIsAFileIsBadInput()
    {
        var file = Path.Combine(_root, "not-a-dir");
        File.WriteAllText(file, "");

        var result = await CliRunner.RunAsync("demo-model", "--cache-dir", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(file, result.Error);
    }
}
