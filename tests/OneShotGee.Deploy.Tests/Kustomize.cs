using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OneShotGee.Deploy.Tests;

/// <summary>
/// Renders a kustomization with <c>kubectl kustomize</c> (offline: k8s/ has no remote bases), each directory once per
/// test run. kustomize v5 or later is required (k8s/ uses <c>resources</c> for directories and <c>patches</c>, which
/// v2 does not know), and a render that prints any warning fails: kustomize warns on stderr about every deprecated
/// field it meets (kustomize api/types/kustomization.go CheckDeprecatedFields).
/// </summary>
static class Kustomize
{
    const int MinimumMajorVersion = 5;
    const string InstallHint = "render k8s/ with kustomize v5 (kubectl 1.27 or later; .ci/install-kubectl installs one)";

    static readonly ConcurrentDictionary<string, Lazy<string>> Rendered = new();

    public static List<Dictionary<object, object>> Render(string relativeDirectory) =>
        Yaml.LoadAll(Rendered.GetOrAdd(relativeDirectory, directory => new Lazy<string>(() => Run(directory))).Value);

    /// <summary>Renders a kustomization outside the repository (a modified copy), without caching.</summary>
    public static List<Dictionary<object, object>> RenderDirectory(string directory) => Yaml.LoadAll(Run(directory));

    static string Run(string relativeDirectory)
    {
        var kubectl = ExternalTool.Require("kubectl", InstallHint);
        var version = Regex.Match(Execute(kubectl, ["version", "--client"]).Stdout, @"Kustomize Version: v(\d+)\.");
        Assert.True(version.Success && int.Parse(version.Groups[1].Value) >= MinimumMajorVersion,
            $"{kubectl} bundles kustomize {(version.Success ? "v" + version.Groups[1].Value : "of unknown version")}; tests need to {InstallHint}");

        var (stdout, stderr) = Execute(kubectl, ["kustomize", Repo.PathOf(relativeDirectory)]);
        Assert.True(stderr.Trim() == "", $"kubectl kustomize {relativeDirectory} warned (a deprecated field?): {stderr}");
        return stdout;
    }

    static (string Stdout, string Stderr) Execute(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) process.Kill();
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} failed: {stderr.Result}");
        return (stdout.Result, stderr.Result);
    }

    public static IEnumerable<Dictionary<object, object>> OfKind(this IEnumerable<Dictionary<object, object>> docs, string kind) =>
        docs.Where(doc => doc.Text("kind") == kind);

    /// <summary>The Deployments of the apps tye.yaml runs (not the OpenTelemetry Collector's).</summary>
    public static IEnumerable<Dictionary<object, object>> AppDeployments(this IEnumerable<Dictionary<object, object>> docs)
    {
        var ids = Repo.TyeApps().Select(a => a.Id).ToHashSet();
        return docs.OfKind("Deployment").Where(d => ids.Contains(d.Text("metadata.name")!));
    }

    public static Dictionary<object, object> Named(this IEnumerable<Dictionary<object, object>> docs, string kind, string name) =>
        docs.OfKind(kind).SingleOrDefault(doc => doc.Text("metadata.name") == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} '{name}' in the rendered manifests");
}
