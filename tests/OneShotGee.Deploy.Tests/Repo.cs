namespace OneShotGee.Deploy.Tests;

/// <summary>Paths in the repository and the apps as tye.yaml declares them (the other deployment files must agree).</summary>
static class Repo
{
    public static readonly string Root = Fixtures.RepositoryRoot;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public sealed record App(string Id, int Port, string Project);

    /// <summary>The services of tye.yaml: app id (the Dapr app id tye gives its sidecar), port, project.</summary>
    public static IReadOnlyList<App> TyeApps() =>
        Yaml.LoadFile(PathOf("tye.yaml")).Single().List("services")
            .Select(service => new App(
                service.Text("name")!,
                int.Parse((string)service.List("bindings").Single().At("port")!),
                service.Text("project")!))
            .ToList();

    /// <summary>Every YAML file under k8s/ and components/.</summary>
    public static IEnumerable<string> YamlFiles() =>
        new[] { "k8s", "components" }
            .SelectMany(dir => Directory.EnumerateFiles(PathOf(dir), "*.yaml", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);
}
