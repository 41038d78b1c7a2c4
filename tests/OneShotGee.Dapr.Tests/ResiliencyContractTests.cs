using Dapr;
using Grpc.Core;
using OneShotGee.Dapr.Tests.Fakes;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Dapr.Tests;

/// <summary>
/// Our binding and run-store code against a fake sidecar that applies components/resiliency.yaml as daprd would
/// (<see cref="FakeResiliency"/>): retried errors must still reach our code as the component sent them, and expected
/// errors must not be turned into something else. The waits are recorded instead of slept through.
/// </summary>
public sealed class ResiliencyContractTests : IAsyncLifetime
{
    readonly TempDirectory _temp = new();
    FakeStorageBinding _artifacts = null!;
    FakeResiliency _resiliency = null!;
    FakeDaprSidecar _sidecar = null!;

    // components/resiliency.yaml: artifacts and statestore retry with "brief", constant 1 s, at most 2 times.
    static readonly TimeSpan[] TwoRetriesOneSecondApart = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)];

    public async Task InitializeAsync()
    {
        _artifacts = new FakeStorageBinding("artifacts", StorageBindingType.LocalStorage, _temp.File("artifacts"));
        _resiliency = FakeResiliency.Load(Path.Combine(Fixtures.RepositoryRoot, "components", "resiliency.yaml"));
        _resiliency.Delay = _ => Task.CompletedTask;
        _sidecar = await FakeDaprSidecar.StartAsync([_artifacts], [new FakeStateStore("statestore")], _resiliency);
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _temp.Dispose();
    }

    DaprBindingArtifactStore Store() =>
        new(new ObjectBinding(_sidecar.CreateClient(), _artifacts.Name, StorageBindingType.LocalStorage, _artifacts.Root));

    List<TimeSpan> RetriesOf(string component) => [.. _resiliency.Retries.Where(r => r.Component == component).Select(r => r.Wait)];

    // Issue 15 finding 2: a fresh store has no directory yet, so localstorage answers "no such file or directory"; with
    // the policy in force daprd retries that twice and then hands back the same error, which ListLocalAsync reads as
    // "nothing stored" (with a breaker, the sixth such error would have come back as "circuit breaker is open").
    [Fact]
    public async Task TheFirstListingOfAFreshLocalStorageStoreFindsNothingAfterTheConfiguredRetries()
    {
        Assert.False(Directory.Exists(_artifacts.Root));
        var store = Store();

        Assert.Empty(await store.ListAsync());
        Assert.Equal(TwoRetriesOneSecondApart, RetriesOf("artifacts"));
        for (var i = 0; i < 5; i++) Assert.False(await store.ExistsAsync($"runs/r{i}/model"));
        Assert.Equal(2 * 6, RetriesOf("artifacts").Count);
    }

    [Fact]
    public async Task ATransientBindingErrorIsRetriedTheConfiguredNumberOfTimes()
    {
        var store = Store();
        var source = _temp.Write("in.txt", "hello");
        await store.PutFileAsync("runs/r1/in.txt", source);
        _resiliency.Retries.Clear();

        _artifacts.FailNextCalls = 2;
        Assert.Equal(["runs/r1/in.txt"], await store.ListAsync("runs/r1"));
        Assert.Equal(TwoRetriesOneSecondApart, RetriesOf("artifacts"));

        _artifacts.FailNextCalls = 3;
        var error = await Assert.ThrowsAsync<DaprException>(() => store.ListAsync("runs/r1"));
        Assert.Equal(0, _artifacts.FailNextCalls); // three attempts: the first and two retries
        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal((StatusCode.Internal, "error invoking output binding artifacts: read tcp: connection reset by peer"), (rpc.StatusCode, rpc.Status.Detail));
        Assert.Equal(4, RetriesOf("artifacts").Count);
    }

    // Issue 15 finding 3 with the policy in force: Redis refuses a repeated first-write create with a plain error, which
    // daprd retries (it is no ETag error) and then answers Internal; a stale ETag is an ETag error, answered at once.
    [Fact]
    public async Task ARepeatedCreateIsAConflictAfterTheRetriesAndAStaleETagWithoutAny()
    {
        var runs = new DaprRunStore(_sidecar.CreateClient(), "statestore");
        var record = new RunRecord("r1", RunStatus.Pending, "prepare", "{}", new Dictionary<string, double>(), [], DateTimeOffset.UnixEpoch);
        var first = await runs.SaveAsync(record, expectedETag: null);
        await runs.SaveAsync(record with { Stage = "train" }, first);
        _resiliency.Retries.Clear();

        await Assert.ThrowsAsync<RunConflictException>(() => runs.SaveAsync(record with { Stage = "again" }, expectedETag: null));
        Assert.Equal(TwoRetriesOneSecondApart, RetriesOf("statestore"));

        _resiliency.Retries.Clear();
        await Assert.ThrowsAsync<RunConflictException>(() => runs.SaveAsync(record with { Stage = "stale" }, first));
        Assert.Empty(RetriesOf("statestore"));
        Assert.Equal("train", (await runs.GetAsync("r1"))!.Record.Stage);
    }

    [Theory]
    [InlineData("circuitBreaker: cb", "circuit breakers")]
    [InlineData("retry: forever", "no maxRetries")]
    [InlineData("retry: growing", "constant back-off only")]
    public async Task APolicyTheFakeDoesNotModelIsRefusedWhenTheSidecarStarts(string outbound, string reason)
    {
        var file = _temp.Write("resiliency.yaml", $$"""
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: other
            spec:
              policies:
                retries:
                  forever:
                    policy: constant
                    duration: 1s
                  growing:
                    policy: exponential
                    maxRetries: 3
                circuitBreakers:
                  cb:
                    trip: consecutiveFailures >= 5
              targets:
                components:
                  artifacts:
                    outbound:
                      {{outbound}}
            """);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() =>
            FakeDaprSidecar.StartAsync([new FakeStorageBinding("artifacts", StorageBindingType.LocalStorage, _temp.File("other"))], [], FakeResiliency.Load(file)));
        Assert.Contains(reason, refused.Message);
    }
}
