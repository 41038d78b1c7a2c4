using System.Reflection;
using OneShotGee.Dapr;
using OneShotGee.Orchestrator;
using OneShotGee.Workers;

namespace OneShotGee.Deploy.Tests;

/// <summary>
/// Settings given as environment variables (<c>Section__Property</c>, list items <c>Section__Property__0</c>) in
/// tye.yaml and every manifest under k8s/ name a property of the services' options and hold a value it accepts, so a
/// renamed option cannot leave a deployment silently running on defaults.
/// </summary>
public sealed class ConfigurationEnvironmentTests
{
    static readonly Dictionary<string, Type> Sections = new()
    {
        [RunsOptions.Section] = typeof(RunsOptions),
        [WorkerOptions.Section] = typeof(WorkerOptions),
    };

    static readonly Dictionary<string, string[]> AllowedValues = new()
    {
        ["Runs__Store"] = [RunsOptions.LocalStore, RunsOptions.DaprStore],
        ["Worker__Store"] = [WorkerOptions.LocalStore, WorkerOptions.DaprStore],
        ["Worker__BindingType"] = Enum.GetNames<StorageBindingType>(),
    };

    public static TheoryData<string> FilesWithSettings() =>
        [.. Repo.YamlFiles().Append(Repo.PathOf("tye.yaml"))
            .Where(file => EnvironmentOf(file).Any())
            .Select(file => Path.GetRelativePath(Repo.Root, file))];

    [Theory]
    [MemberData(nameof(FilesWithSettings))]
    public void EverySettingNamesAnOptionAndHoldsAnAcceptedValue(string file)
    {
        foreach (var (name, value) in EnvironmentOf(Repo.PathOf(file)))
        {
            var parts = name.Split("__");
            Assert.True(Sections.TryGetValue(parts[0], out var options), $"{file}: {name} names section '{parts[0]}', which no service reads");
            var property = options!.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            Assert.True(property is { CanWrite: true }, $"{file}: {name} names no settable property of {options.Name}");
            if (parts.Length == 3) Assert.True(int.TryParse(parts[2], out _) && property!.PropertyType != typeof(string), $"{file}: {name} indexes a property that is not a list");
            if (AllowedValues.TryGetValue(name, out var allowed))
                Assert.True(allowed.Contains(value, StringComparer.OrdinalIgnoreCase), $"{file}: {name}={value}; accepted: {string.Join(", ", allowed)}");
        }
    }

    [Fact]
    public void TheWorkersOfTyeAndK8sExchangeArtifactsThroughTheDaprBinding()
    {
        foreach (var file in new[] { "tye.yaml", "k8s/base/apps/dataprep.yaml", "k8s/base/apps/trainer.yaml", "k8s/base/apps/evaluator.yaml" })
        {
            var settings = EnvironmentOf(Repo.PathOf(file)).ToList();
            Assert.Contains(("Worker__Store", "dapr"), settings);
            Assert.Contains(settings, s => s.Name == "Worker__WorkRoot");
        }
    }

    /// <summary>The <c>Section__Property</c> variables of every env list in the file (containers and tye services).</summary>
    static IEnumerable<(string Name, string Value)> EnvironmentOf(string file) =>
        Yaml.LoadFile(file).SelectMany(EnvLists).SelectMany(list => list)
            .Select(item => (Name: item.Text("name") ?? "", Value: item.Text("value")))
            .Where(e => e.Name.Contains("__") && e.Value is not null)
            .Select(e => (e.Name, e.Value!));

    static IEnumerable<List<object>> EnvLists(object? node) => node switch
    {
        Dictionary<object, object> map => map.SelectMany(entry =>
            entry.Key is "env" && entry.Value is List<object> list ? [list] : EnvLists(entry.Value)),
        List<object> list => list.SelectMany(EnvLists),
        _ => [],
    };
}
