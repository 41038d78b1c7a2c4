using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using YamlDotNet.Serialization;

namespace OneShotGee.Deploy.Tests;

/// <summary>
/// App ids, ports, projects, images, component names and scopes agree across tye.yaml (the reference), components/,
/// k8s/, docker-bake.json and the service Dockerfile.
/// </summary>
public class ConsistencyTests
{
    static readonly IReadOnlyList<Repo.App> Apps = Repo.TyeApps();

    static readonly JsonNode Bake = JsonNode.Parse(File.ReadAllText(Repo.PathOf("docker-bake.json")))!;

    [Fact]
    public void TyeRunsTheFourContractAppsOnTheirPortsFromProjectsThatExistOrAreNamedByTheContract()
    {
        Assert.Equal(
            [("orchestrator", 5100), ("dataprep", 5101), ("trainer", 5102), ("evaluator", 5103)],
            Apps.Select(a => (a.Id, a.Port)));
        Assert.All(Apps, app => Assert.Matches(@"^services/\w+/OneShotGee\.\w+\.csproj$", app.Project));
        var dapr = Yaml.LoadFile(Repo.PathOf("tye.yaml")).Single().List("extensions").Single(e => e.Text("name") == "dapr");
        Assert.Equal(Repo.PathOf("components"), Path.GetFullPath(Path.Combine(Repo.Root, dapr.Text("components-path")!)));
        Assert.Contains(dapr.Text("config"), LocalResources("Configuration").Keys);
    }

    [Fact]
    public void LocalComponentsAreScopedToAppsTyeRuns()
    {
        var components = LocalResources("Component");
        Assert.Equal(["actorstate", "artifacts", "pubsub", "statestore"], components.Keys.Order());
        foreach (var (name, component) in components)
            Assert.All(component.Strings("scopes"), scope => Assert.Contains(scope, Apps.Select(a => a.Id)));
        Assert.Equal(Apps.Select(a => a.Id).Order(), components["actorstate"].Strings("scopes").Order()); // every app hosts workflow actors
        Assert.Equal(["orchestrator"], components["statestore"].Strings("scopes")); // run records
        Assert.Equal(["dataprep", "evaluator", "trainer"], components["artifacts"].Strings("scopes").Order()); // the workers move artifacts
        Assert.Equal(["orchestrator"], components["pubsub"].Strings("scopes"));
        Assert.Contains(components["actorstate"].List("spec.metadata"), m => m.Text("name") == "actorStateStore" && m.Text("value") == "true");
    }

    [Fact]
    public void TyeWorkersListTheLocalArtifactsBindingFromItsRootPath()
    {
        var root = LocalResources("Component")["artifacts"].List("spec.metadata").Single(m => m.Text("name") == "rootPath").Text("value");
        var services = Yaml.LoadFile(Repo.PathOf("tye.yaml")).Single().List("services");
        foreach (var worker in services.Where(s => s.Text("name") != "orchestrator"))
            Assert.Equal(root, worker.List("env").Single(e => e.Text("name") == "Worker__BindingRootPath").Text("value"));
    }

    // The keys dapr/cli reads from a run file (pkg/runfileconfig/run_file_config.go RunFileConfig and App,
    // pkg/standalone/run.go RunConfig/SharedRunConfig yaml tags) that dapr.yaml uses; the CLI's yaml.v2 Unmarshal
    // ignores unknown keys silently, so a misspelt one would just be lost.
    static readonly string[] RunFileCommonKeys = ["resourcesPaths", "configFilePath", "logLevel", "maxBodySize", "enableAppHealthCheck", "appHealthCheckPath", "env"];
    static readonly string[] RunFileAppKeys = ["appID", "appDirPath", "appPort", "command", "env", .. RunFileCommonKeys];

    [Fact]
    public void DaprRunFileRunsTyesAppsOnTheirPortsWithTheLocalComponentsConfigurationAndEnvironment()
    {
        var runFile = Yaml.LoadFile(Repo.PathOf("dapr.yaml")).Single();
        Assert.Equal("1", runFile.Text("version")); // validateRunConfig: required
        Assert.Equal(["apps", "common", "version"], runFile.Keys.Cast<string>().Order());
        var common = runFile.Map("common");
        Assert.All(common.Keys.Cast<string>(), key => Assert.Contains(key, RunFileCommonKeys));
        // Common paths resolve against the run file's directory (validateRunConfig).
        Assert.Equal([Repo.PathOf("components")], common.Strings("resourcesPaths").Select(p => Path.GetFullPath(Path.Combine(Repo.Root, p))));
        var config = Yaml.LoadFile(Path.GetFullPath(Path.Combine(Repo.Root, common.Text("configFilePath")!))).Single();
        var tyeDapr = Yaml.LoadFile(Repo.PathOf("tye.yaml")).Single().List("extensions").Single(e => e.Text("name") == "dapr");
        Assert.Equal(("Configuration", tyeDapr.Text("config")), (config.Text("kind"), config.Text("metadata.name")));
        Assert.Equal(tyeDapr.Text("log-level"), common.Text("logLevel"));

        var apps = runFile.List("apps");
        var tyeServices = Yaml.LoadFile(Repo.PathOf("tye.yaml")).Single().List("services").ToDictionary(s => s.Text("name")!);
        Assert.Equal(Apps.Select(a => (a.Id, a.Port.ToString())), apps.Select(a => (a.Text("appID")!, a.Text("appPort")!)));
        foreach (var (app, entry) in Apps.Zip(apps))
        {
            Assert.All(((Dictionary<object, object>)entry).Keys.Cast<string>(), key => Assert.Contains(key, RunFileAppKeys));
            // No per-app resources or config: each takes common's (resolveResourcesFilePath, resolveConfigFilePath),
            // which only <appDirPath>/.dapr/resources or .dapr/config.yaml would override.
            Assert.Null(entry.At("resourcesPaths"));
            Assert.Null(entry.At("configFilePath"));
            var appDir = Path.GetFullPath(Path.Combine(Repo.Root, entry.Text("appDirPath")!));
            Assert.False(Directory.Exists(Path.Combine(appDir, ".dapr", "resources")), $"{appDir}/.dapr/resources would replace components/");
            Assert.False(File.Exists(Path.Combine(appDir, ".dapr", "config.yaml")), $"{appDir}/.dapr/config.yaml would replace the oneshotgee Configuration");
            // cmd/run.go runs the command in appDirPath: `dotnet run --project <the project tye runs>`.
            var command = entry.Strings("command").ToList();
            Assert.Equal(["dotnet", "run", "--project"], command.Take(3));
            Assert.Equal(Repo.PathOf(app.Project), Path.GetFullPath(Path.Combine(appDir, command[3])));
            // mergeCommonAndAppsEnv writes into each app's env map: it must exist. Same environment as tye.yaml.
            var tyeEnv = tyeServices[app.Id].List("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));
            var env = entry.Map("env").ToDictionary(e => (string)e.Key, e => e.Value as string);
            Assert.Equal(tyeEnv.OrderBy(e => e.Key), env.OrderBy(e => e.Key));
        }
    }

    [Fact]
    public void DaprRunFileGivesTheSidecarsTheBodyLimitAndHealthCheckOfTheClusterDeployments()
    {
        var common = Yaml.LoadFile(Repo.PathOf("dapr.yaml")).Single().Map("common");
        foreach (var app in Apps)
        {
            var annotations = Yaml.LoadFile(Repo.PathOf($"k8s/base/apps/{app.Id}.yaml")).Single(d => d.Text("kind") == "Deployment")
                .Map("spec.template.metadata.annotations");
            Assert.Equal(annotations["dapr.io/app-port"], app.Port.ToString());
            Assert.Equal(annotations["dapr.io/max-body-size"], common.Text("maxBodySize"));
            Assert.Equal(annotations["dapr.io/enable-app-health-check"], common.Text("enableAppHealthCheck"));
            Assert.Equal(annotations["dapr.io/app-health-check-path"], common.Text("appHealthCheckPath"));
        }
    }

    [SkippableFact]
    public void ClusterHasTheLocalComponentsWithTheSameScopesAndTheSameResiliencyAndConfigurationNames()
    {
        var local = LocalResources("Component");
        foreach (var overlay in new[] { "k8s/overlays/gpu", "k8s/overlays/local" })
        {
            var rendered = Kustomize.Render(overlay);
            foreach (var (name, component) in local)
            {
                var cluster = rendered.Named("Component", name);
                Assert.Equal(component.Strings("scopes").Order(), cluster.Strings("scopes").Order());
                Assert.Equal(component.Text("spec.type")!.Split('.')[0], cluster.Text("spec.type")!.Split('.')[0]);
            }
            Assert.Contains(rendered.Named("Component", "actorstate").List("spec.metadata"), m => m.Text("name") == "actorStateStore" && m.Text("value") == "true");
            var resiliency = LocalResources("Resiliency").Single().Value;
            Assert.Equal(Serialize(resiliency.At("spec")), Serialize(rendered.Named("Resiliency", resiliency.Text("metadata.name")!).At("spec")));
            Assert.Equal(LocalResources("Configuration").Keys, rendered.OfKind("Configuration").Select(c => c.Text("metadata.name")!));
        }
    }

    [SkippableFact]
    public void ImagesAndPortsAgreeBetweenBakeTargetsTyeAndTheDeployments()
    {
        var deployments = Kustomize.Render("k8s/overlays/local").OfKind("Deployment").ToDictionary(d => d.Text("metadata.name")!);
        var gpu = Kustomize.Render("k8s/overlays/gpu");
        foreach (var app in Apps)
        {
            var target = Bake["target"]![app.Id] ?? throw new Xunit.Sdk.XunitException($"docker-bake.json has no target {app.Id}");
            Assert.Equal(app.Project, (string?)target["args"]!["APP_PROJECT"]);
            Assert.Equal(app.Port.ToString(), (string?)target["args"]!["APP_PORT"]);
            Assert.True(File.Exists(Repo.PathOf((string)Bake["target"]![(string)target["inherits"]![0]!]!["dockerfile"]!)));
            var (image, tag) = BakeImage(target);
            Assert.Equal($"oneshotgee/{app.Id}", image);
            Assert.Equal(image, ImageName(deployments[app.Id].List("spec.template.spec.containers").Single().Text("image")!));
            ExpectConfiguredPort(app);
            Assert.Equal("latest", tag);
        }
        // The apps that load the model run its CUDA image on a GPU in the gpu overlay.
        foreach (var app in new[] { "trainer", "evaluator" })
        {
            var cuda = Bake["target"]![app + "-cuda"]!;
            Assert.Equal("cuda", (string?)cuda["args"]!["TORCH_BACKEND"]);
            Assert.Equal(app, (string?)cuda["inherits"]![0]);
            var (cudaImage, cudaTag) = BakeImage(cuda);
            var container = gpu.Named("Deployment", app).List("spec.template.spec.containers").Single();
            Assert.Equal($"{cudaImage}:{cudaTag}", container.Text("image"));
        }
    }

    [Fact]
    public void TheDockerfileBuildsEveryTorchBackendThatDirectoryPackagesPropsDefines()
    {
        var props = XDocument.Load(Repo.PathOf("Directory.Packages.props"));
        var backends = props.Descendants("PackageVersion")
            .Select(p => Regex.Match((string?)p.Attribute("Condition") ?? "", @"'\$\(TorchBackend\)' == '(\w+)'"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().Order().ToList();
        Assert.Equal(["cpu", "cuda"], backends);
        var stages = Dockerfile.Load().Stages.Select(s => s.Name).ToList();
        Assert.All(backends, backend => Assert.Contains($"runtime-{backend}", stages));
    }

    /// <summary>A service's own settings may pin its port (appsettings.json Urls/Kestrel, launchSettings.json); then it must be tye's.</summary>
    static void ExpectConfiguredPort(Repo.App app)
    {
        var directory = Path.GetDirectoryName(Repo.PathOf(app.Project))!;
        foreach (var file in new[] { "appsettings.json", "Properties/launchSettings.json" }.Select(f => Path.Combine(directory, f)).Where(File.Exists))
            foreach (Match url in Regex.Matches(File.ReadAllText(file), @"https?://[^:""/]+:(\d+)"))
                Assert.True(url.Groups[1].Value == app.Port.ToString(), $"{file} uses port {url.Groups[1].Value}; tye.yaml gives {app.Id} port {app.Port}");
    }

    static (string Image, string Tag) BakeImage(JsonNode target)
    {
        var variables = Bake["variable"]!.AsObject().ToDictionary(v => v.Key, v => (string?)v.Value!["default"] ?? "");
        var tag = Regex.Replace((string)target["tags"]![0]!, @"\$\{(\w+)\}", m => variables[m.Groups[1].Value]);
        var colon = tag.LastIndexOf(':');
        return (tag[..colon], tag[(colon + 1)..]);
    }

    static string ImageName(string image) => image.Contains(':') ? image[..image.LastIndexOf(':')] : image;

    static Dictionary<string, Dictionary<object, object>> LocalResources(string kind) =>
        Directory.EnumerateFiles(Repo.PathOf("components"), "*.yaml").SelectMany(Yaml.LoadFile)
            .Where(d => d.Text("kind") == kind).ToDictionary(d => d.Text("metadata.name")!);

    /// <summary>YAML with map keys sorted: kustomize reorders keys, which changes nothing.</summary>
    static string Serialize(object? node) => new SerializerBuilder().Build().Serialize(Sorted(node));

    static object? Sorted(object? node) => node switch
    {
        Dictionary<object, object> map => new SortedDictionary<string, object?>(map.ToDictionary(e => (string)e.Key, e => Sorted(e.Value)), StringComparer.Ordinal),
        List<object> list => list.Select(Sorted).ToList(),
        _ => node,
    };
}
