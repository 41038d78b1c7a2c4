using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OneShotGee.Deploy.Tests;

/// <summary>
/// What operators expect of the manifests (issue 15, what-to-build 4): per-app ServiceAccounts, NetworkPolicies, Pod
/// Security settings, Dapr access control, the trainer's priority and disruption budget, and alert rules that
/// `promtool check rules` accepts and that use only metrics the services or daprd export.
/// </summary>
public class OperatorsBasicsTests
{
    public static TheoryData<string> Overlays => new() { "k8s/overlays/local", "k8s/overlays/gpu" };

    static readonly string[] AppIds = Repo.TyeApps().Select(a => a.Id).ToArray();

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void EachAppRunsUnderItsOwnServiceAccount(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        foreach (var id in AppIds)
        {
            Assert.Equal(id, docs.Named("Deployment", id).Text("spec.template.spec.serviceAccountName"));
            docs.Named("ServiceAccount", id);
        }
        Assert.Empty(docs.OfKind("RoleBinding").Concat(docs.OfKind("ClusterRoleBinding")));
    }

    // Pod Security Standards, "restricted": seccomp RuntimeDefault, runAsNonRoot, no privilege escalation, all
    // capabilities dropped; plus a read-only root filesystem with every written path mounted.
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void AppContainersMeetRestrictedWithAReadOnlyRootAndTheNamespaceAdmitsTheRootInitContainerAtBaselineOnly(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        foreach (var id in AppIds)
        {
            var pod = docs.Named("Deployment", id).Map("spec.template.spec");
            Assert.Equal("RuntimeDefault", pod.Text("securityContext.seccompProfile.type"));
            var app = pod.List("containers").Single(c => c.Text("name") == id);
            Assert.Equal("true", app.Text("securityContext.runAsNonRoot") ?? pod.Text("securityContext.runAsNonRoot"));
            Assert.Equal("false", app.Text("securityContext.allowPrivilegeEscalation"));
            Assert.Equal("true", app.Text("securityContext.readOnlyRootFilesystem"));
            Assert.Equal(["ALL"], app.Strings("securityContext.capabilities.drop"));
            Assert.Empty(app.List("securityContext.capabilities.add"));
            var mounts = app.List("volumeMounts").Select(m => m.Text("mountPath")).ToList();
            Assert.Contains("/tmp", mounts);
            Assert.Contains("/data", mounts);
            var tmp = app.List("volumeMounts").Single(m => m.Text("mountPath") == "/tmp").Text("name");
            Assert.NotNull(pod.List("volumes").Single(v => v.Text("name") == tmp).At("emptyDir"));
            // volume-owner runs as root with CHOWN/FOWNER: "restricted" would refuse the pod, "baseline" admits it.
            Assert.Equal("0", pod.List("initContainers").Single(c => c.Text("name") == "volume-owner").Text("securityContext.runAsUser"));
        }
        var labels = docs.Named("Namespace", "oneshotgee").Map("metadata.labels");
        Assert.Equal("baseline", labels["pod-security.kubernetes.io/enforce"]);
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/warn"]);
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/audit"]);
    }

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void NetworkPoliciesAdmitSidecarPeersMetricsScrapesAndRedisFromTheAppsOnly(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        var apps = docs.Named("NetworkPolicy", "oneshotgee-apps");
        Assert.Equal("oneshotgee", apps.Map("spec.podSelector.matchLabels")["app.kubernetes.io/part-of"]);
        var rules = apps.List("spec.ingress");
        Ports FromPeers(Func<object, bool> peer) =>
            new(rules.Where(r => r.List("from").Any(peer)).SelectMany(r => r.List("ports")).Select(p => (string)p.At("port")!).ToHashSet());
        var fromApps = FromPeers(f => f.At("podSelector") is Dictionary<object, object> s && s.Map("matchLabels").GetValueOrDefault("app.kubernetes.io/part-of") as string == "oneshotgee");
        var fromMonitoring = FromPeers(f => f.At("namespaceSelector") is Dictionary<object, object> s && s.Map("matchLabels").GetValueOrDefault("kubernetes.io/metadata.name") as string == "monitoring");
        Assert.Contains("50002", fromApps.Set); // daprd's internal gRPC port (dapr.io/internal-grpc-port default)
        Assert.Contains("5100", fromApps.Set);  // the orchestrator's API
        foreach (var id in AppIds)
        {
            var template = docs.Named("Deployment", id).Map("spec.template");
            Assert.False(template.Map("metadata.annotations").ContainsKey("dapr.io/internal-grpc-port"));
            Assert.Contains((string)template.Map("metadata.annotations")["dapr.io/metrics-port"], fromMonitoring.Set);
            Assert.Contains(template.List("spec.containers").Single(c => c.Text("name") == id).List("ports"), p => p.Text("name") == "http");
        }
        Assert.Contains("http", fromMonitoring.Set);
        // The PodMonitor scrapes exactly what the policy lets the monitoring namespace reach.
        Assert.Equal(["dapr-metrics", "http"], docs.Named("PodMonitor", "oneshotgee").List("spec.podMetricsEndpoints").Select(e => e.Text("port")!).Order());

        var redis = docs.Named("NetworkPolicy", "redis");
        Assert.Equal("redis", redis.Map("spec.podSelector.matchLabels")["app.kubernetes.io/name"]);
        var redisPort = docs.Named("Component", "statestore").List("spec.metadata").Single(m => m.Text("name") == "redisHost").Text("value")!.Split(':')[1];
        var rule = redis.List("spec.ingress").Single();
        Assert.Equal([redisPort], rule.List("ports").Select(p => (string)p.At("port")!));
        Assert.Equal("oneshotgee", rule.List("from").Single().Map("podSelector.matchLabels")["app.kubernetes.io/part-of"]);
    }

    sealed record Ports(HashSet<string> Set);

    // dapr pkg/apis/configuration/v1alpha1/types.go AccessControlSpec/AppPolicySpec; pkg/acl/acl.go
    // ParseAccessControlSpec needs trustDomain and namespace on each policy.
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void OnlyTheOrchestratorMayInvokeTheWorkersSteps(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        var acl = docs.OfKind("Configuration").Single().Map("spec.accessControl");
        Assert.Equal("deny", acl.Text("defaultAction"));
        var policy = acl.List("policies").Single();
        Assert.Equal("orchestrator", policy.Text("appId"));
        Assert.Equal("deny", policy.Text("defaultAction"));
        Assert.Equal(docs.Named("Deployment", "trainer").Text("metadata.namespace"), policy.Text("namespace"));
        Assert.False(string.IsNullOrEmpty(policy.Text("trustDomain")));
        var operation = policy.List("operations").Single();
        Assert.Equal(("/steps/*", "allow"), (operation.Text("name"), operation.Text("action")));
        Assert.Equal(["POST"], operation.Strings("httpVerb"));
        // The route the workers serve (services/Workers/StepEndpoints.cs).
        Assert.Contains("MapPost(\"/steps/{activity}\"", File.ReadAllText(Repo.PathOf("services/Workers/StepEndpoints.cs")));
    }

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void TheTrainerHasAPriorityClassAndABudgetThatHoldsVoluntaryEvictions(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        var trainer = docs.Named("Deployment", "trainer");
        var priority = docs.Named("PriorityClass", trainer.Text("spec.template.spec.priorityClassName")!);
        Assert.Equal("scheduling.k8s.io/v1", priority.Text("apiVersion"));
        Assert.Null(priority.At("metadata.namespace")); // cluster-scoped
        Assert.True(int.Parse(priority.Text("value")!) > 0);
        Assert.Equal("false", priority.Text("globalDefault"));
        var budget = docs.Named("PodDisruptionBudget", "trainer");
        Assert.Equal("policy/v1", budget.Text("apiVersion"));
        Assert.Equal("0", budget.Text("spec.maxUnavailable"));
        Assert.Equal(trainer.Map("spec.selector.matchLabels"), budget.Map("spec.selector.matchLabels"));
    }

    static readonly string[] Alerts = ["OneShotGeeRunFailed", "OneShotGeeRunStalled", "OneShotGeeRunEventDeadLettered", "OneShotGeeSidecarDown", "OneShotGeeGpuMemoryNearLimit"];

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void AlertRulesPassPromtoolAndUseOnlyExportedMetrics(string overlay)
    {
        var rule = Kustomize.Render(overlay).Named("PrometheusRule", "oneshotgee");
        Assert.Equal("kube-prometheus-stack", rule.Map("metadata.labels")["release"]);
        var groups = rule.List("spec.groups");
        var rules = groups.SelectMany(g => g.List("rules")).ToList();
        Assert.Equal(Alerts.Order(), rules.Select(r => r.Text("alert")!).Order());

        var promtool = ExternalTool.Require("promtool", "check the alert rules (Debian/Ubuntu: apt-get install prometheus)");
        using var temp = new TempDirectory();
        var file = temp.File("rules.yaml");
        File.WriteAllText(file, new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(new Dictionary<string, object> { ["groups"] = groups }));
        using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "rules", file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.True(process.ExitCode == 0, $"promtool check rules: {stdout.Result}{stderr.Result}");
        Assert.Contains($"SUCCESS: {Alerts.Length} rules found", stdout.Result);

        // Our series as docs/metrics.md lists them (histograms by their base name); daprd's pubsub ingress counter
        // (dapr pkg/diagnostics/component_monitoring.go "component/pubsub_ingress/count" with process_status and
        // topic tags); Prometheus's own `up`.
        var documented = Regex.Matches(File.ReadAllText(Repo.PathOf("docs/metrics.md")), @"`(oneshotgee_\w+)`").Select(m => m.Groups[1].Value).ToHashSet();
        string[] external = ["dapr_component_pubsub_ingress_count", "up"];
        foreach (var expr in rules.Select(r => r.Text("expr")!))
            foreach (Match metric in Regex.Matches(expr, @"\b([a-z_][a-z0-9_]*)\s*\{"))
            {
                var name = metric.Groups[1].Value;
                var series = Regex.Replace(name, "_(count|sum|bucket)$", "");
                Assert.True(documented.Contains(name) || documented.Contains(series) || external.Contains(name),
                    $"alert expression uses {name}, which neither docs/metrics.md nor daprd nor Prometheus exports");
            }
    }
}
