namespace OneShotGee.Deploy.Tests;

/// <summary>
/// The OpenTelemetry Collector of k8s/base/otel-collector.yaml, as both overlays render it: its configuration's
/// pipelines name only components it defines, it listens where the apps and their sidecars send OTLP, the network
/// lets them, and it runs under Pod Security "restricted".
/// </summary>
public class CollectorTests
{
    public static TheoryData<string> Overlays => new() { "k8s/overlays/local", "k8s/overlays/gpu" };

    const string Name = "otel-collector";

    static Dictionary<object, object> Config(List<Dictionary<object, object>> docs)
    {
        var volume = docs.Named("Deployment", Name).Map("spec.template.spec").List("volumes").Single(v => v.At("configMap") is not null);
        var configMap = docs.Named("ConfigMap", volume.Text("configMap.name")!);
        var args = Container(docs).Strings("args").ToList();
        var file = Assert.Single(args, a => a.StartsWith("--config=", StringComparison.Ordinal))["--config=".Length..];
        var mount = Container(docs).List("volumeMounts").Single(m => m.Text("name") == volume.Text("name")).Text("mountPath")!;
        Assert.Equal(mount, Path.GetDirectoryName(file));
        return Yaml.LoadAll((string)configMap.Map("data")[Path.GetFileName(file)]).Single();
    }

    static Dictionary<object, object> Container(List<Dictionary<object, object>> docs) =>
        (Dictionary<object, object>)docs.Named("Deployment", Name).Map("spec.template.spec").List("containers").Single();

    // A pipeline names components as type[/name] from the config's top-level sections (opentelemetry-collector
    // otelcol/config.go Config.Validate: a pipeline referring to an undefined one is an error); memory_limiter first and
    // batch after it, as processor/README.md "Recommended Processors" orders them.
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void EveryPipelineUsesDefinedComponentsAndLimitsMemoryBeforeBatching(string overlay)
    {
        var config = Config(Kustomize.Render(overlay));
        var pipelines = config.Map("service.pipelines");
        Assert.Equal(["logs", "metrics", "traces"], pipelines.Keys.Cast<string>().Order());
        var used = new HashSet<(string, string)>();
        foreach (var (signal, pipeline) in pipelines)
        {
            foreach (var section in new[] { "receivers", "processors", "exporters" })
            {
                var names = pipeline.Strings(section).ToList();
                Assert.True(section == "processors" || names.Count > 0, $"pipeline {signal} has no {section}");
                foreach (var name in names)
                {
                    Assert.True(config.Map(section).ContainsKey(name), $"pipeline {signal} names {section} '{name}', which the config does not define");
                    used.Add((section, name));
                }
            }
            var processors = pipeline.Strings("processors").Select(p => p.Split('/')[0]).ToList();
            Assert.Equal("memory_limiter", processors.First());
            Assert.Equal("batch", processors.Last());
            Assert.Contains("otlp", pipeline.Strings("receivers"));
        }
        foreach (var section in new[] { "receivers", "processors", "exporters" })
            Assert.All(config.Map(section).Keys.Cast<string>(), name => Assert.Contains((section, name), used));
        Assert.All(config.Strings("service.extensions"), e => Assert.True(config.Map("extensions").ContainsKey(e), $"extension {e} is not defined"));
        var limiter = config.Map("processors.memory_limiter");
        Assert.True(limiter.At("limit_percentage") is not null || limiter.At("limit_mib") is not null, "memory_limiter has no limit");
        Assert.NotNull(limiter.At("check_interval"));
    }

    // The .NET OTLP exporter speaks gRPC unless OTEL_EXPORTER_OTLP_PROTOCOL says otherwise; daprd's tracing.otel names
    // its protocol (dapr pkg/apis/configuration/v1alpha1/types.go OtelSpec: endpointAddress, isSecure, protocol).
    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void AppsAndSidecarsSendOtlpToTheCollectorsServiceOnThePortItsReceiverListensOn(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        var config = Config(docs);
        var service = docs.Named("Service", Name);
        var host = $"{Name}.{service.Text("metadata.namespace")}.svc.cluster.local";
        var containerPorts = Container(docs).List("ports").ToDictionary(p => p.Text("name")!, p => (string)p.At("containerPort")!);
        string ReceiverPort(string protocol) => config.Text($"receivers.otlp.protocols.{protocol}.endpoint")!.Split(':')[^1];
        void ExpectServed(string port)
        {
            var servicePort = service.List("spec.ports").SingleOrDefault(p => (string)p.At("port")! == port)
                ?? throw new Xunit.Sdk.XunitException($"Service {Name} has no port {port}");
            Assert.Equal(port, containerPorts[servicePort.Text("targetPort")!]);
        }
        ExpectServed(ReceiverPort("grpc"));
        ExpectServed(ReceiverPort("http"));

        foreach (var deployment in docs.AppDeployments())
        {
            var env = deployment.Map("spec.template.spec").List("containers").Single(c => c.Text("name") == deployment.Text("metadata.name"))
                .List("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));
            var endpoint = new Uri(env.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT") ?? throw new Xunit.Sdk.XunitException($"{deployment.Text("metadata.name")} exports no OTLP"));
            var protocol = env.GetValueOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL") ?? "grpc";
            Assert.Equal((host, ReceiverPort(protocol == "grpc" ? "grpc" : "http")), (endpoint.Host, endpoint.Port.ToString()));
        }
        var otel = docs.OfKind("Configuration").Single().Map("spec.tracing.otel");
        Assert.Equal("grpc", otel.Text("protocol"));
        Assert.Equal($"{host}:{ReceiverPort("grpc")}", otel.Text("endpointAddress"));
        Assert.Equal("/", Container(docs).Text("readinessProbe.httpGet.path")); // health_check's default path
        Assert.Equal(config.Text("extensions.health_check.endpoint")!.Split(':')[^1], containerPorts[Container(docs).Text("readinessProbe.httpGet.port")!]);
    }

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void OnlyTheAppsReachTheReceiversAndOnlyMonitoringTheMetricsEndpoint(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        var config = Config(docs);
        var policy = docs.Named("NetworkPolicy", Name);
        Assert.Equal(docs.Named("Deployment", Name).Map("spec.template.metadata.labels"), policy.Map("spec.podSelector.matchLabels"));
        var rules = policy.List("spec.ingress");
        List<string> PortsFrom(Func<object, bool> peer) =>
            [.. rules.Where(r => r.List("from").All(peer)).SelectMany(r => r.List("ports")).Select(p => (string)p.At("port")!).Order()];
        var fromApps = PortsFrom(f => f.At("podSelector.matchLabels") is Dictionary<object, object> l && l.GetValueOrDefault("app.kubernetes.io/part-of") as string == "oneshotgee");
        var receiverPorts = new[] { "grpc", "http" }.Select(p => config.Text($"receivers.otlp.protocols.{p}.endpoint")!.Split(':')[^1]).Order();
        Assert.Equal(receiverPorts, fromApps);
        Assert.All(docs.AppDeployments(), d => Assert.Equal("oneshotgee", d.Map("spec.template.metadata.labels")["app.kubernetes.io/part-of"]));
        var fromMonitoring = PortsFrom(f => f.At("namespaceSelector.matchLabels") is Dictionary<object, object> l && l.GetValueOrDefault("kubernetes.io/metadata.name") as string == "monitoring");
        Assert.Equal([config.Text("exporters.prometheus.endpoint")!.Split(':')[^1]], fromMonitoring);
        Assert.Equal(rules.Count, rules.Count(r => r.List("from").Count > 0)); // no rule open to everyone
        // Outside the apps' NetworkPolicy and PodMonitor, which select app.kubernetes.io/part-of: oneshotgee.
        Assert.False(docs.Named("Deployment", Name).Map("spec.template.metadata.labels").ContainsKey("app.kubernetes.io/part-of"));
    }

    [SkippableTheory]
    [MemberData(nameof(Overlays))]
    public void TheCollectorRunsRestrictedWithAReadOnlyRootAndNoServiceAccountToken(string overlay)
    {
        var docs = Kustomize.Render(overlay);
        var pod = docs.Named("Deployment", Name).Map("spec.template.spec");
        var container = Container(docs);
        Assert.Equal("RuntimeDefault", pod.Text("securityContext.seccompProfile.type"));
        Assert.Equal("true", pod.Text("securityContext.runAsNonRoot"));
        Assert.True(int.Parse(pod.Text("securityContext.runAsUser")!) > 0);
        Assert.Equal("false", container.Text("securityContext.allowPrivilegeEscalation"));
        Assert.Equal("true", container.Text("securityContext.readOnlyRootFilesystem"));
        Assert.Equal(["ALL"], container.Strings("securityContext.capabilities.drop"));
        Assert.Equal("false", pod.Text("automountServiceAccountToken"));
        Assert.Equal(Name, pod.Text("serviceAccountName"));
        docs.Named("ServiceAccount", Name);
        Assert.Matches(@"^otel/opentelemetry-collector:\d+\.\d+\.\d+$", container.Text("image"));
        foreach (var kind in new[] { "requests", "limits" })
            Assert.NotNull(container.At($"resources.{kind}.memory"));
    }
}
