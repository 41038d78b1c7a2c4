using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OneShotGee.Deploy.Tests;

/// <summary>k8s/ and components/ parse, and both overlays render (kubectl kustomize, offline) into complete manifests.</summary>
public class ManifestTests
{
    const string Namespace = "oneshotgee";

    public static TheoryData<string> Overlays => new() { "k8s/overlays/local", "k8s/overlays/gpu" };

    [Fact]
    public void EveryYamlFileParsesAndEveryResourceHasApiVersionKindAndName()
    {
        var files = Repo.YamlFiles().ToList();
        Assert.Contains(files, f => f.EndsWith("k8s/overlays/gpu/kustomization.yaml", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var documents = Yaml.LoadFile(file);
            Assert.True(documents.Count > 0, $"{file} has no YAML document");
            if (Path.GetFileName(file) == "kustomization.yaml") continue;
            foreach (var doc in documents)
                foreach (var field in new[] { "apiVersion", "kind", "metadata.name" })
                    Assert.False(string.IsNullOrEmpty(doc.Text(field)), $"{file}: a document has no {field}");
        }
    }

    // The fields current kustomize warns about (kustomize api/types/kustomization.go CheckDeprecatedFields); a render
    // that warns fails as well (Kustomize.Render), this catches them where no kubectl is installed.
    static readonly string[] DeprecatedKustomizeFields = ["bases", "commonLabels", "imageTags", "patchesJson6902", "patchesStrategicMerge", "vars"];

    [Fact]
    public void KustomizationsDeclareTheirTypeAndUseNoDeprecatedField()
    {
        var files = Directory.EnumerateFiles(Repo.PathOf("k8s"), "kustomization.yaml", SearchOption.AllDirectories).ToList();
        Assert.Equal(4, files.Count); // base, grafana, the two overlays
        foreach (var file in files)
        {
            var kustomization = Yaml.LoadFile(file).Single();
            Assert.Equal(("kustomize.config.k8s.io/v1beta1", "Kustomization"), (kustomization.Text("apiVersion"), kustomization.Text("kind")));
            var deprecated = kustomization.Keys.Cast<string>().Intersect(DeprecatedKustomizeFields).ToList();
            Assert.True(deprecated.Count == 0, $"{file} uses deprecated kustomize fields: {string.Join(", ", deprecated)}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void EveryAppRendersWithDaprAnnotationsProbesResourcesAndAService(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        foreach (var doc in docs.Where(d => d.Text("kind") is not ("Namespace" or "PriorityClass"))) // cluster-scoped
            Assert.True(doc.Text("metadata.namespace") == Namespace, $"{doc.Text("kind")} {doc.Text("metadata.name")} is not in namespace {Namespace}");
        var configurations = docs.OfKind("Configuration").Select(c => c.Text("metadata.name")).ToList();
        var claims = docs.OfKind("PersistentVolumeClaim").Select(c => c.Text("metadata.name")).ToList();

        foreach (var app in Repo.TyeApps())
        {
            var deployment = docs.Named("Deployment", app.Id);
            var pod = deployment.Map("spec.template");
            var annotations = pod.Map("metadata.annotations");
            string Annotation(string name) => annotations.TryGetValue($"dapr.io/{name}", out var v) ? (string)v : throw new Xunit.Sdk.XunitException($"{app.Id}: no dapr.io/{name}");

            Assert.Equal("true", Annotation("enabled"));
            Assert.Equal(app.Id, Annotation("app-id"));
            Assert.Equal(app.Port.ToString(), Annotation("app-port"));
            Assert.Contains(Annotation("config"), configurations);
            Assert.Matches(@"^\d+(Ki|Mi)$", Annotation("max-body-size"));
            Assert.Equal("true", Annotation("enable-metrics"));
            Assert.Equal("9090", Annotation("metrics-port"));
            foreach (var sidecar in new[] { "sidecar-cpu-request", "sidecar-cpu-limit", "sidecar-memory-request", "sidecar-memory-limit" })
                Assert.Matches(@"^\d+(m|Mi|Gi)?$", Annotation(sidecar));

            var selector = deployment.Map("spec.selector.matchLabels");
            var labels = pod.Map("metadata.labels");
            Assert.All(selector, label => Assert.Equal(label.Value, labels.GetValueOrDefault(label.Key)));
            Assert.Equal("true", pod.Text("spec.securityContext.runAsNonRoot"));

            var containers = pod.List("spec.containers");
            Assert.NotEmpty(containers);
            foreach (var container in containers)
            {
                foreach (var kind in new[] { "requests", "limits" })
                    foreach (var resource in new[] { "cpu", "memory" })
                        Assert.False(container.At($"resources.{kind}.{resource}") is null, $"{app.Id}: container {container.Text("name")} has no resources.{kind}.{resource}");
                foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
                    Assert.Equal("/healthz", container.Text($"{probe}.httpGet.path"));
            }
            var main = containers.Single(c => c.Text("name") == app.Id);
            var http = main.List("ports").Single(p => p.Text("name") == "http");
            Assert.Equal(app.Port.ToString(), http.At("containerPort"));
            Assert.Equal("http", main.Text("livenessProbe.httpGet.port"));

            foreach (var volume in pod.List("spec.volumes").Where(v => v.At("persistentVolumeClaim") is not null))
                Assert.Contains(volume.Text("persistentVolumeClaim.claimName"), claims);

            var service = docs.Named("Service", app.Id);
            Assert.Equal(app.Port.ToString(), service.List("spec.ports").Single().At("port"));
            Assert.All(service.Map("spec.selector"), label => Assert.Equal(label.Value, labels.GetValueOrDefault(label.Key)));
        }
    }

    /// <summary>The trainer and the evaluator load the model (a 7B model in float32 on the CPU would not fit 16 GiB).</summary>
    static readonly string[] GpuApps = ["trainer", "evaluator"];

    [SkippableFact]
    public void OnlyTheGpuOverlayPutsTheModelLoadingAppsOnAGpuWithTolerationAndNodeSelector()
    {
        var gpu = Kustomize.Render("k8s/overlays/gpu");
        var local = Kustomize.Render("k8s/overlays/local");

        foreach (var app in GpuApps)
        {
            var spec = gpu.Named("Deployment", app).Map("spec.template.spec");
            var container = spec.List("containers").Single(c => c.Text("name") == app);
            Assert.Equal("1", GpuLimit(container));
            Assert.Contains(spec.List("tolerations"), t => t.Text("key") == "nvidia.com/gpu" && t.Text("effect") == "NoSchedule");
            Assert.NotEmpty(spec.Map("nodeSelector"));
            Assert.EndsWith("-cuda", container.Text("image"));
        }

        foreach (var deployment in gpu.OfKind("Deployment").Where(d => !GpuApps.Contains(d.Text("metadata.name"))).Concat(local.OfKind("Deployment")))
        {
            var spec = deployment.Map("spec.template.spec");
            var name = deployment.Text("metadata.name");
            Assert.True(spec.At("tolerations") is null && spec.At("nodeSelector") is null, $"{name} has GPU scheduling outside the gpu overlay's model apps");
            Assert.All(spec.List("containers"), c => Assert.Null(GpuLimitOrNull(c)));
            Assert.DoesNotContain("cuda", spec.List("containers").Single().Text("image"));
        }
    }

    // docs/services.md "Variants in parallel": one trainer replica per GPU, and a run trains as many variants at once.
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void TheOrchestratorTrainsAsManyVariantsAtOnceAsThereAreTrainers(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        Assert.Equal(TrainerReplicas(docs), MaxParallelVariants(docs));
        Assert.InRange(MaxParallelVariants(docs), 1, OneShotGee.Orchestrator.RunsOptions.MaxParallelVariantsLimit);
    }

    [SkippableFact]
    public void RaisingTheGpuOverlaysTrainerCountRaisesTheVariantBoundWithIt()
    {
        using var copy = new TempDirectory();
        CopyDirectory(Repo.PathOf("k8s"), copy.File("k8s"));
        var kustomization = copy.File("k8s/overlays/gpu/kustomization.yaml");
        var text = File.ReadAllText(kustomization);
        Assert.Contains("  - name: trainer\n    count: 1\n", text);
        File.WriteAllText(kustomization, text.Replace("  - name: trainer\n    count: 1\n", "  - name: trainer\n    count: 3\n"));

        var docs = Kustomize.RenderDirectory(copy.File("k8s/overlays/gpu"));
        Assert.Equal((3, 3), (TrainerReplicas(docs), MaxParallelVariants(docs)));
        Assert.Equal("1", docs.Named("Deployment", "evaluator").Text("spec.replicas"));
    }

    static int TrainerReplicas(List<Dictionary<object, object>> docs) => int.Parse(docs.Named("Deployment", "trainer").Text("spec.replicas") ?? "1");

    // As the orchestrator reads it: the environment variable, else RunsOptions' default.
    static int MaxParallelVariants(List<Dictionary<object, object>> docs) =>
        int.Parse(Env(docs.Named("Deployment", "orchestrator"), "Runs__MaxParallelVariants")
                  ?? new OneShotGee.Orchestrator.RunsOptions().MaxParallelVariants.ToString());

    static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    [SkippableTheory]
    [InlineData("trainer")]
    [InlineData("evaluator")]
    public void LongStepWorkersGetTimeToCheckpointWhenTheirPodStops(string app)
    {
        var drain = new OneShotGee.Workers.WorkerOptions().ShutdownTimeout.TotalSeconds;
        var pod = Kustomize.Render("k8s/overlays/gpu").Named("Deployment", app).Map("spec.template");

        Assert.True(double.Parse(pod.Text("spec.terminationGracePeriodSeconds")!) > drain, $"{app}: the pod is killed before Worker:ShutdownTimeout ({drain} s)");
        // The sidecar keeps serving while the app drains: ClusterBehaviourTests checks dapr.io/block-shutdown-duration.
        Assert.True(pod.Map("metadata.annotations").ContainsKey("dapr.io/block-shutdown-duration"), $"{app}: its sidecar stops before the app has drained");
    }

    // Keys such as "nvidia.com/gpu" hold dots, so they are looked up in their map rather than by a dotted path.
    static string GpuLimit(object container) => GpuLimitOrNull(container) ?? throw new Xunit.Sdk.XunitException($"{container.Text("name")} has no nvidia.com/gpu limit");

    static string? GpuLimitOrNull(object container) =>
        container.At("resources.limits") is Dictionary<object, object> limits && limits.TryGetValue("nvidia.com/gpu", out var v) ? v.ToString() : null;

    [SkippableFact]
    public void ClusterComponentsUseRedisWithActorStateAndAnS3BindingWithSecretsTheOperatorResolves()
    {
        var docs = Kustomize.Render("k8s/overlays/gpu");
        var components = docs.OfKind("Component").ToDictionary(c => c.Text("metadata.name")!);

        Assert.Equal("state.redis", components["statestore"].Text("spec.type"));
        Assert.Equal("state.redis", components["actorstate"].Text("spec.type"));
        Assert.Equal("true", Metadata(components["actorstate"], "actorStateStore").Text("value"));
        Assert.Equal("pubsub.redis", components["pubsub"].Text("spec.type"));
        var artifacts = components["artifacts"];
        Assert.Equal("bindings.aws.s3", artifacts.Text("spec.type"));
        // ObjectBinding sends base64 and reads raw bytes back (see its remarks).
        Assert.Equal("true", Metadata(artifacts, "decodeBase64").Text("value"));
        Assert.DoesNotContain(artifacts.List("spec.metadata"), m => m.Text("name") == "encodeBase64" && m.Text("value") == "true");
        foreach (var secret in new[] { "accessKey", "secretKey" })
            Assert.False(string.IsNullOrEmpty(Metadata(artifacts, secret).Text("secretKeyRef.name")), $"artifacts {secret} is not a secretKeyRef");
        // Without an auth block the operator resolves them (ClusterBehaviourTests.NoComponentNamesASecretStore...).
        foreach (var component in components.Values.Where(c => c.List("spec.metadata").Any(m => m.At("secretKeyRef") is not null)))
            Assert.Null(component.At("auth"));

        Assert.Single(docs.OfKind("Resiliency"));
        var monitor = docs.OfKind("PodMonitor").Single();
        var endpoints = monitor.List("spec.podMetricsEndpoints").Select(e => (e.Text("port"), e.Text("path"))).ToList();
        Assert.Contains(("http", "/metrics"), endpoints);
        Assert.Contains(endpoints, e => e.Item1 == "dapr-metrics");
        Assert.All(monitor.Map("spec.selector.matchLabels"), label =>
            Assert.All(docs.AppDeployments(), d => Assert.Equal(label.Value, d.Map("spec.template.metadata.labels").GetValueOrDefault(label.Key))));

        var dashboard = docs.OfKind("ConfigMap").Single(c => c.At("metadata.labels.grafana_dashboard") is not null);
        var json = (string)dashboard.Map("data")["oneshotgee.json"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Repo.PathOf("k8s/grafana/dashboards/oneshotgee.json"))), JsonNode.Parse(json)));
    }

    [SkippableFact]
    public void LocalOverlayKeepsArtifactsOnTheRunsVolumeThatEverySidecarMounts()
    {
        var docs = Kustomize.Render("k8s/overlays/local");
        var artifacts = docs.Named("Component", "artifacts");
        Assert.Equal("bindings.localstorage", artifacts.Text("spec.type"));
        var root = Metadata(artifacts, "rootPath").Text("value")!;
        foreach (var deployment in docs.AppDeployments())
        {
            var mounts = SidecarMounts(deployment);
            var mount = Regex.Match(mounts, @"^(?<volume>[\w-]+):(?<path>/[\w/-]*)$");
            Assert.True(mount.Success, $"{deployment.Text("metadata.name")}: dapr.io/volume-mounts-rw '{mounts}' is not volume:path");
            Assert.StartsWith(mount.Groups["path"].Value + "/", root);
            if (deployment.Text("metadata.name") != "orchestrator")
                Assert.Equal(root, Env(deployment, "Worker__BindingRootPath"));
            Assert.Contains(deployment.List("spec.template.spec.volumes"), v => v.Text("name") == mount.Groups["volume"].Value);
        }
        Assert.All(docs.OfKind("PersistentVolumeClaim"), c => Assert.Equal(["ReadWriteOnce"], c.Strings("spec.accessModes")));
    }

    static string? Env(object deployment, string name) =>
        deployment.Map("spec.template.spec").List("containers").Single(c => c.Text("name") == deployment.Text("metadata.name"))
            .List("env").SingleOrDefault(e => e.Text("name") == name)?.Text("value");

    static string SidecarMounts(object deployment) =>
        deployment.Map("spec.template.metadata.annotations").GetValueOrDefault("dapr.io/volume-mounts-rw") as string
        ?? throw new Xunit.Sdk.XunitException($"{deployment.Text("metadata.name")} has no dapr.io/volume-mounts-rw");

    static object Metadata(object component, string name) =>
        component.List("spec.metadata").SingleOrDefault(m => m.Text("name") == name)
        ?? throw new Xunit.Sdk.XunitException($"component {component.Text("metadata.name")} has no metadata '{name}'");
}
