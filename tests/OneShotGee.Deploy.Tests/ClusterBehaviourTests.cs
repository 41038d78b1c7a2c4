using System.Text.RegularExpressions;

namespace OneShotGee.Deploy.Tests;

/// <summary>
/// What a real cluster does with the manifests, as the Dapr sources read (issue 15, findings 1, 2, 5, 6, 10, 12): each
/// test names the source it follows; none of this can be run here (no daprd, no cluster).
/// </summary>
public class ClusterBehaviourTests
{
    public static TheoryData<string> Overlays => new() { "k8s/overlays/local", "k8s/overlays/gpu" };

    static readonly string[] Workers = ["dataprep", "trainer", "evaluator"];

    /// <summary>components/ and a rendered overlay, as (where, documents).</summary>
    static IEnumerable<(string Where, List<Dictionary<object, object>> Docs)> LocalAndCluster()
    {
        yield return ("components/", Directory.EnumerateFiles(Repo.PathOf("components"), "*.yaml").SelectMany(Yaml.LoadFile).ToList());
        foreach (var overlay in new[] { "k8s/overlays/local", "k8s/overlays/gpu" })
            yield return (overlay, Kustomize.Render(overlay));
    }

    // Finding 1. dapr pkg/operator/api/components.go processComponentSecrets fills secretKeyRefs only when
    // auth.secretStore is empty or "kubernetes"; for any other store daprd reads the Secret with the pod's service account.
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void NoComponentNamesASecretStoreSoTheOperatorResolvesTheirSecrets(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        foreach (var component in docs.OfKind("Component"))
        {
            var name = component.Text("metadata.name");
            Assert.True(component.At("auth") is null, $"component {name} has an auth block; the operator resolves its secretKeyRefs only without one");
            Assert.False(component.Text("spec.type")!.StartsWith("secretstores.", StringComparison.Ordinal), $"component {name} is a custom secret store");
        }
        Assert.Contains(docs.OfKind("Component"), c => c.List("spec.metadata").Any(m => m.At("secretKeyRef") is not null));
        // The sidecar's built-in store (pkg/runtime/components.go appendBuiltinSecretStore) stays closed to the apps.
        var scopes = docs.OfKind("Configuration").Single().List("spec.secrets.scopes");
        Assert.Contains(scopes, s => s.Text("storeName") == "kubernetes" && s.Text("defaultAccess") == "deny");
    }

    // Finding 2. dapr pkg/resiliency/policy.go NewRunnerWithOptions retries every non-permanent error and counts it in
    // the component's one breaker; breaker/circuitbreaker.go Execute then fails every call with "circuit breaker is
    // open". Listing a fresh localstorage prefix and a refused first-write create are expected errors.
    [SkippableFact]
    public void NoComponentHasACircuitBreakerAndArtifactsAndStateRetryAtMostTwice()
    {
        foreach (var (where, docs) in LocalAndCluster())
        {
            var resiliency = docs.OfKind("Resiliency").Single();
            var policies = resiliency.Map("spec.policies");
            Assert.True(policies.At("circuitBreakers") is null or Dictionary<object, object> { Count: 0 }, $"{where}: circuit breakers are defined");
            var targets = resiliency.Map("spec.targets.components");
            foreach (var (name, target) in targets)
                foreach (var direction in new[] { "inbound", "outbound" })
                    Assert.True(target.At($"{direction}.circuitBreaker") is null, $"{where}: {name} {direction} has a circuit breaker");
            foreach (var name in new[] { "artifacts", "statestore", "actorstate" })
            {
                var retry = targets.At($"{name}.outbound.retry") as string;
                if (retry is null) continue;
                var maxRetries = int.Parse(policies.Text($"retries.{retry}.maxRetries") ?? throw new Xunit.Sdk.XunitException($"{where}: retry {retry} has no maxRetries (unbounded)"));
                Assert.True(maxRetries <= 2, $"{where}: {name} retries {maxRetries} times");
            }
        }
    }

    // Finding 2. The workflow engine keeps its actor state in the one component with actorStateStore true: it is its
    // own component, not the run records' statestore (whose refused creates are expected errors), in every app.
    [SkippableFact]
    public void TheWorkflowEngineHasItsOwnActorStateComponentInEveryApp()
    {
        foreach (var (where, docs) in LocalAndCluster())
        {
            var actorStores = docs.OfKind("Component")
                .Where(c => c.List("spec.metadata").Any(m => m.Text("name") == "actorStateStore" && m.Text("value") == "true")).ToList();
            var actorState = Assert.Single(actorStores);
            Assert.Equal("actorstate", actorState.Text("metadata.name"));
            Assert.Equal(Repo.TyeApps().Select(a => a.Id).Order(), actorState.Strings("scopes").Order());
            Assert.Equal(["orchestrator"], docs.Named("Component", new OneShotGee.Orchestrator.RunsOptions().StateStore).Strings("scopes"));
        }
    }

    // Finding 5. daprd blocks its shutdown for dapr.io/block-shutdown-duration (pkg/injector/annotations/annotations.go
    // KeyBlockShutdownDuration -> --dapr-block-shutdown-duration; pkg/runtime/runtime.go Run) and only then spends up
    // to dapr.io/graceful-shutdown-seconds (default 5 s, pkg/runtime/config.go) shutting down.
    [SkippableTheory]
    [InlineData("trainer")]
    [InlineData("evaluator")]
    public void WorkerSidecarsBlockShutdownWhileTheAppDrainsAndThePodOutlivesBoth(string app)
    {
        var drain = new OneShotGee.Workers.WorkerOptions().ShutdownTimeout;
        foreach (var overlay in new[] { "k8s/overlays/local", "k8s/overlays/gpu" })
        {
            var pod = Kustomize.Render(overlay).Named("Deployment", app).Map("spec.template");
            var annotations = pod.Map("metadata.annotations");
            var block = GoDuration.Parse(annotations.GetValueOrDefault("dapr.io/block-shutdown-duration") as string
                                   ?? throw new Xunit.Sdk.XunitException($"{app}: no dapr.io/block-shutdown-duration"));
            var shutdown = TimeSpan.FromSeconds(int.Parse(annotations.GetValueOrDefault("dapr.io/graceful-shutdown-seconds") as string ?? "5"));
            var grace = TimeSpan.FromSeconds(int.Parse(pod.Text("spec.terminationGracePeriodSeconds")!));
            Assert.True(block > drain, $"{app}: the sidecar blocks {block}, the app drains for up to {drain}");
            Assert.True(grace > block + shutdown, $"{app}: terminationGracePeriodSeconds {grace} is not above {block} + {shutdown}");
        }
    }

    // Finding 6. Shared volumes (NFS, Azure Files) are root-owned and kubelet does not apply fsGroup to them: an init
    // container gives each PVC mount's top directory to 1654, and only it runs as root.
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void AnInitContainerGivesEverySharedVolumeTo1654AndOnlyItRunsAsRoot(string overlay)
    {
        foreach (var deployment in Kustomize.Render(overlay).AppDeployments())
        {
            var name = deployment.Text("metadata.name")!;
            var spec = deployment.Map("spec.template.spec");
            Assert.Equal("true", spec.Text("securityContext.runAsNonRoot"));
            Assert.Equal("1654", spec.Text("securityContext.runAsUser"));
            Assert.Equal("1654", spec.Text("securityContext.fsGroup"));
            var claims = spec.List("volumes").Where(v => v.At("persistentVolumeClaim") is not null).Select(v => v.Text("name")).ToHashSet();
            var main = spec.List("containers").Single(c => c.Text("name") == name);
            Assert.Equal("false", main.Text("securityContext.allowPrivilegeEscalation"));
            Assert.Null(main.At("securityContext.runAsUser"));
            var writable = main.List("volumeMounts").Where(m => claims.Contains(m.Text("name")) && m.Text("readOnly") != "true").ToList();
            Assert.NotEmpty(writable);

            var init = Assert.Single(spec.List("initContainers"));
            Assert.Matches(@"^[\w./-]+:\d[\w.-]*$", init.Text("image")); // pinned by a version tag
            var script = string.Join(' ', init.Strings("command"));
            Assert.Equal("0", init.Text("securityContext.runAsUser"));
            Assert.Equal("false", init.Text("securityContext.allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], init.Strings("securityContext.capabilities.drop"));
            Assert.All(init.Strings("securityContext.capabilities.add"), c => Assert.Contains(c, new[] { "CHOWN", "FOWNER" }));
            foreach (var mount in writable)
            {
                var path = mount.Text("mountPath")!;
                Assert.Contains(init.List("volumeMounts"), m => m.Text("name") == mount.Text("name") && m.Text("mountPath") == path);
                Assert.Matches(@"chown 1654:1654 [^&]*" + Regex.Escape(path) + @"\b", script);
            }
        }
    }

    // Finding 10. components-contrib common/component/redis/settings.go MaxLenApprox (metadata maxLenApprox), passed to
    // XAdd by pubsub/redis/redis.go Publish: without it a stream nobody reads grows without bound.
    [SkippableFact]
    public void EveryRedisPubSubCapsItsStreams()
    {
        foreach (var (where, docs) in LocalAndCluster())
            foreach (var pubsub in docs.OfKind("Component").Where(c => c.Text("spec.type") == "pubsub.redis"))
            {
                var value = pubsub.List("spec.metadata").SingleOrDefault(m => m.Text("name") == "maxLenApprox")?.Text("value");
                Assert.True(long.TryParse(value, out var max) && max > 0, $"{where}: pubsub {pubsub.Text("metadata.name")} has no positive maxLenApprox");
            }
    }

    // Finding 3. daprd moves an event to the subscription's dead-letter topic (gee-runs-dead, RunsApi) only once the
    // inbound policy gives up (pkg/runtime/subscription/subscription.go): the pubsub inbound retry must be finite.
    [SkippableFact]
    public void PubSubInboundRetriesEndSoFailedEventsReachTheDeadLetterTopic()
    {
        foreach (var (where, docs) in LocalAndCluster())
        {
            var resiliency = docs.OfKind("Resiliency").Single();
            var retry = resiliency.Text("spec.targets.components.pubsub.inbound.retry") ?? throw new Xunit.Sdk.XunitException($"{where}: pubsub has no inbound retry");
            var maxRetries = int.Parse(resiliency.Text($"spec.policies.retries.{retry}.maxRetries") ?? "-1");
            Assert.InRange(maxRetries, 1, 10);
        }
        Assert.Equal("gee-runs-dead", OneShotGee.Orchestrator.Apis.RunsApi.DeadLetterTopic);
    }

    // Finding 12. libtorch sizes its thread pool from OMP_NUM_THREADS (else the node's cores); the Downward API gives the
    // container's CPU limit, rounded up to whole cores with divisor 1.
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void TorchWorkersTakeTheirThreadCountFromTheirCpuLimitAndProbesFitABusyNode(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        foreach (var app in new[] { "trainer", "evaluator" })
        {
            var main = docs.Named("Deployment", app).Map("spec.template.spec").List("containers").Single(c => c.Text("name") == app);
            foreach (var variable in new[] { "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
            {
                var env = main.List("env").SingleOrDefault(e => e.Text("name") == variable) ?? throw new Xunit.Sdk.XunitException($"{app}: no {variable}");
                Assert.Equal("limits.cpu", env.Text("valueFrom.resourceFieldRef.resource"));
                Assert.Equal("1", env.Text("valueFrom.resourceFieldRef.divisor"));
                Assert.Contains(env.Text("valueFrom.resourceFieldRef.containerName"), new[] { null, app });
            }
            var liveness = main.Map("livenessProbe");
            Assert.InRange(int.Parse(liveness.Text("timeoutSeconds") ?? "1"), 5, 10);
            var period = int.Parse(liveness.Text("periodSeconds") ?? "10");
            var failures = int.Parse(liveness.Text("failureThreshold") ?? "3");
            Assert.True(period * failures >= 120, $"{app}: liveness restarts the pod after {period * failures} s of slow answers");
        }
        foreach (var deployment in docs.OfKind("Deployment"))
            foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
            {
                var main = deployment.Map("spec.template.spec").List("containers").Single(c => c.Text("name") == deployment.Text("metadata.name"));
                Assert.True(int.Parse(main.Text($"{probe}.timeoutSeconds") ?? "1") >= 5, $"{deployment.Text("metadata.name")}: {probe} times out after 1 s");
            }
        Assert.All(Workers, w => docs.Named("Deployment", w));
    }
}
