using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using YamlDotNet.Serialization;

namespace OneShotGee.Dapr.Tests.Fakes;

/// <summary>
/// FAKE: daprd's outbound resiliency policy for the components the fake serves, read from a Resiliency resource such
/// as components/resiliency.yaml (dapr @ d8450742, dapr/kit @ 6e5616aa):
/// <list type="bullet">
/// <item>pkg/resiliency/resiliency.go <c>decodePolicies</c>: each retry policy starts from kit
/// <c>retry/retry.go DefaultConfig</c> (constant, 5 s, maxRetries -1: for ever) and takes the fields it gives;
/// <c>ComponentOutboundPolicy</c>: a component's policy is <c>targets.components.&lt;name&gt;.outbound</c>.</item>
/// <item>pkg/resiliency/policy.go <c>NewRunnerWithOptions</c>: the operation runs, and an error that is not permanent
/// is retried through kit <c>Config.NewBackOff</c>: constant back-off waits <c>duration</c> between attempts and
/// <c>WithMaxRetries</c> allows <c>maxRetries</c> retries (maxRetries + 1 attempts); the last error comes back as the
/// component gave it. A component without a policy runs once (the default policies <c>getDefaultPolicy</c> finds,
/// retries named Default..., are not modelled: components/resiliency.yaml has none).</item>
/// <item>Which errors are permanent: pkg/components/state/bulk.go <c>PerformBulkStoreOperation</c> wraps a single-key
/// save's ETag error in <c>backoff.Permanent</c> (daprd answers them Aborted and InvalidArgument, pkg/api/grpc/grpc.go
/// <c>getStateErrorCode</c>); output bindings (pkg/runtime/processor/binding/send.go <c>SendToOutputBinding</c>) and
/// state reads (grpc.go <c>GetState</c>) retry every error.</item>
/// </list>
/// Not modelled, and refused when a served component's policy uses them: circuit breakers, exponential back-off,
/// unbounded retries. Timeouts are not modelled (the fake's operations never block), nor bulk saves' per-key retries
/// (bulk.go retries only the failed keys; the fake retries the whole request, and our code saves one key at a time).
/// </summary>
public sealed class FakeResiliency
{
    readonly Dictionary<string, Dictionary<object, object>> _targets;
    readonly Dictionary<object, object> _retries;

    FakeResiliency(Dictionary<object, object> resource)
    {
        var spec = Map(resource, "spec");
        _targets = Map(Map(spec, "targets"), "components").ToDictionary(t => (string)t.Key, t => Map(t.Value, "outbound"));
        _retries = Map(Map(spec, "policies"), "retries");
    }

    /// <summary>Waits between attempts; tests replace it to record the waits without sleeping through them.</summary>
    public Func<TimeSpan, Task> Delay { get; set; } = wait => Task.Delay(wait);

    /// <summary>Every retry: the component and the wait before it.</summary>
    public ConcurrentQueue<(string Component, TimeSpan Wait)> Retries { get; } = new();

    public static FakeResiliency Load(string path) =>
        new(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(path)));

    sealed record ConstantRetry(TimeSpan Duration, int MaxRetries);

    /// <summary>The component's outbound retry, or null; refuses what the fake does not model.</summary>
    ConstantRetry? RetryOf(string component)
    {
        if (!_targets.TryGetValue(component, out var policy)) return null;
        if (policy.ContainsKey("circuitBreaker"))
            throw new NotSupportedException($"component {component}: the fake does not model circuit breakers");
        if (!policy.TryGetValue("retry", out var name)) return null;
        var retry = Map(_retries, (string)name);
        var kind = retry.GetValueOrDefault("policy") as string ?? "constant";
        if (kind != "constant")
            throw new NotSupportedException($"component {component}: retry {name} is {kind}; the fake models constant back-off only");
        if (retry.GetValueOrDefault("maxRetries") is not string max || int.Parse(max, CultureInfo.InvariantCulture) < 0)
            throw new NotSupportedException($"component {component}: retry {name} has no maxRetries, so daprd would retry for ever");
        var duration = retry.GetValueOrDefault("duration") is string d ? GoDuration.Parse(d) : TimeSpan.FromSeconds(5);
        return new ConstantRetry(duration, int.Parse(max, CultureInfo.InvariantCulture));
    }

    /// <summary>Fails at sidecar start, not at the first call, when a served component's policy is not modelled.</summary>
    internal void Check(IEnumerable<string> components)
    {
        foreach (var component in components) RetryOf(component);
    }

    /// <summary>Runs <paramref name="operation"/> under the component's outbound retry.</summary>
    internal async Task<T> RunOutboundAsync<T>(string component, Func<T> operation, Func<RpcException, bool>? isPermanent = null)
    {
        var retry = RetryOf(component);
        for (var retries = 0; ; retries++)
        {
            try
            {
                return operation();
            }
            catch (RpcException e) when (retry is not null && retries < retry.MaxRetries && isPermanent?.Invoke(e) != true)
            {
                Retries.Enqueue((component, retry.Duration));
                await Delay(retry.Duration);
            }
        }
    }

    static Dictionary<object, object> Map(object? node, string key) =>
        (node as Dictionary<object, object>)?.GetValueOrDefault(key) as Dictionary<object, object> ?? [];
}
