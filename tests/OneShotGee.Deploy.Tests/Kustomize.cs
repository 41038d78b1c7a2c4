using System.Diagnostics;

namespace OneShotGee.Deploy.Tests;

/// <summary>Renders a kustomization with <c>kubectl kustomize</c> (offline: k8s/ has no remote bases).</summary>
static class Kustomize
{
    public static List<Dictionary<object, object>> Render(string relativeDirectory)
    {
        var kubectl = ExternalTool.Require("kubectl", "render k8s/ with kustomize (Debian: apt-get install kubernetes-client)");
        var start = new ProcessStartInfo(kubectl, ["kustomize", Repo.PathOf(relativeDirectory)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) process.Kill();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {relativeDirectory} failed: {stderr.Result}");
        return Yaml.LoadAll(stdout.Result);
    }

    public static IEnumerable<Dictionary<object, object>> OfKind(this IEnumerable<Dictionary<object, object>> docs, string kind) =>
        docs.Where(doc => doc.Text("kind") == kind);

    public static Dictionary<object, object> Named(this IEnumerable<Dictionary<object, object>> docs, string kind, string name) =>
        docs.OfKind(kind).SingleOrDefault(doc => doc.Text("metadata.name") == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} '{name}' in the rendered manifests");
}
