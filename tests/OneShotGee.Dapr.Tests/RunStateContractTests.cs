using OneShotGee.Dapr.Tests.Fakes;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Dapr.Tests;

/// <summary>
/// Contract tests of <see cref="DaprRunStore"/>. REAL: our store, the Dapr.Client DaprClient (TrySaveStateAsync,
/// GetStateAndETagAsync), gRPC over loopback. FAKE: the sidecar's state store (<see cref="FakeStateStore"/>), which
/// answers as daprd over Redis does (a refused create is Internal, a stale ETag Aborted; see its sources).
/// </summary>
public sealed class RunStateContractTests : IAsyncLifetime
{
    FakeDaprSidecar _sidecar = null!;
    DaprRunStore _store = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await FakeDaprSidecar.StartAsync([], [new FakeStateStore("statestore")]);
        _store = new DaprRunStore(_sidecar.CreateClient(), "statestore");
    }

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    static RunRecord Run(string id, RunStatus status = RunStatus.Pending, string stage = "prepare", int minute = 0) => new(
        id, status, stage, "{\"lambda\":0.5}",
        new Dictionary<string, double> { ["entropy_gap"] = 0.25 },
        [new ArtifactRef("prepared.parquet", "dapr://artifacts/prepared.parquet", 10, new string('a', 64))],
        new DateTimeOffset(2026, 11, 25, 12, minute, 0, TimeSpan.Zero));

    [Fact]
    public async Task SavedRunReadsBackWithTheStoresETag()
    {
        var etag = await _store.SaveAsync(Run("r1"), expectedETag: null);
        var stored = await _store.GetAsync("r1");

        Assert.NotNull(stored);
        Assert.Equal("1", etag); // the fake's first version: the ETag is the store's, not one we made up
        Assert.Equal(etag, stored.ETag);
        Assert.Equal(0.25, stored.Record.Metrics["entropy_gap"]);
        Assert.Equal("dapr://artifacts/prepared.parquet", Assert.Single(stored.Record.Artifacts).Uri);
        Assert.Null(await _store.GetAsync("absent"));
    }

    [Fact]
    public async Task SaveWithAStaleETagIsAConflict()
    {
        var first = await _store.SaveAsync(Run("r1"), null);
        await _store.SaveAsync(Run("r1", RunStatus.Running, "train"), first);

        await Assert.ThrowsAsync<RunConflictException>(() => _store.SaveAsync(Run("r1", RunStatus.Failed, "evaluate"), first));
        Assert.Equal("train", (await _store.GetAsync("r1"))!.Record.Stage);
    }

    /// <summary>A repeated POST /runs or a redelivered gee-runs event: Redis refuses the create with a plain error (Internal).</summary>
    [Fact]
    public async Task CreatingARunThatExistsIsAConflict()
    {
        await _store.SaveAsync(Run("r1"), null);
        await Assert.ThrowsAsync<RunConflictException>(() => _store.SaveAsync(Run("r1", stage: "other"), null));
        Assert.Equal("prepare", (await _store.GetAsync("r1"))!.Record.Stage);
    }

    /// <summary>The first runs of an empty store race to create the index: the loser's refused create (Internal) is retried.</summary>
    [Fact]
    public async Task ConcurrentFirstRunsAreAllCreatedAndIndexed()
    {
        var ids = Enumerable.Range(0, 6).Select(i => $"first-{i}").ToList();

        await Task.WhenAll(ids.Select(id => Task.Run(() => _store.SaveAsync(Run(id), null))));

        Assert.Equal(ids.Order(), (await _store.ListRecentAsync(10)).Select(r => r.RunId).Order());
    }

    [Fact]
    public async Task OfConcurrentWritersFromOneETagExactlyOneWins()
    {
        var etag = await _store.SaveAsync(Run("r1"), null);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            try { await _store.SaveAsync(Run("r1", RunStatus.Running, $"writer-{i}"), etag); return true; }
            catch (RunConflictException) { return false; }
        })));

        Assert.Equal(1, results.Count(won => won));
        Assert.Equal($"writer-{Array.IndexOf(results, true)}", (await _store.GetAsync("r1"))!.Record.Stage);
    }

    [Fact]
    public async Task RecentRunsComeFromTheIndexNewestFirst()
    {
        await _store.SaveAsync(Run("old", minute: 1), null);
        var etag = await _store.SaveAsync(Run("newest", minute: 2), null);
        await _store.SaveAsync(Run("middle", minute: 5), null);
        await _store.SaveAsync(Run("newest", RunStatus.Completed, "done", minute: 9), etag);

        Assert.Equal(["newest", "middle", "old"], (await _store.ListRecentAsync(10)).Select(r => r.RunId));
        Assert.Equal(["newest"], (await _store.ListRecentAsync(1)).Select(r => r.RunId));
    }

    [Fact]
    public async Task ManyRecentRunsAreReadInBulkRequestsOfBoundedSize()
    {
        var count = DaprRunStore.BulkReadSize * 2 + 5;
        for (var i = 0; i < count; i++) await _store.SaveAsync(Run($"r{i}") with { Updated = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero).AddMinutes(i) }, null);

        var recent = await _store.ListRecentAsync(count);

        Assert.Equal(Enumerable.Range(0, count).Reverse().Select(i => $"r{i}"), recent.Select(r => r.RunId));
        Assert.Equal([DaprRunStore.BulkReadSize, DaprRunStore.BulkReadSize, 5], _sidecar.BulkReads);
    }

    // Issue 15 finding 11: 100 records of up to 64 KiB config each could exceed gRPC's 4 MiB receive limit. A bulk read
    // of records whose 64 KiB config escapes at its worst (every character an HTML-sensitive one that System.Text.Json's
    // default encoder writes as \u00XX) must stay under it.
    [Fact]
    public void ABulkReadOfTheLargestRecordsFitsGrpcsDefaultReceiveLimit()
    {
        var config = "{\"x\":\"" + new string('<', 64 * 1024 - 8) + "\"}";
        Assert.Equal(64 * 1024, config.Length);
        var record = Run("r-largest") with { ConfigJson = config, Error = new string('e', 1024) };
        var stored = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.True(stored.Length <= DaprRunStore.MaxRecordBytes, $"a record with a 64 KiB config is {stored.Length} bytes stored");
        Assert.True(DaprRunStore.BulkReadSize * DaprRunStore.MaxRecordBytes <= 4 * 1024 * 1024);
        Assert.InRange(DaprRunStore.BulkReadSize, 1, 10);
    }

    [Fact]
    public async Task TheFakeAnswersSavesAsDaprdOverRedis()
    {
        using var client = _sidecar.CreateClient();
        var firstWrite = new global::Dapr.Client.StateOptions { Concurrency = global::Dapr.Client.ConcurrencyMode.FirstWrite };
        Assert.True(await client.TrySaveStateAsync("statestore", "k", 1, "", firstWrite));

        var again = await Assert.ThrowsAsync<global::Dapr.DaprException>(() => client.TrySaveStateAsync("statestore", "k", 2, "", firstWrite));
        var rpc = Assert.IsType<Grpc.Core.RpcException>(again.InnerException);
        Assert.Equal(Grpc.Core.StatusCode.Internal, rpc.StatusCode);
        Assert.Equal("failed saving state in state store statestore: failed to set key k: failed to set key k", rpc.Status.Detail);

        Assert.False(await client.TrySaveStateAsync("statestore", "k", 3, "7", firstWrite)); // stale ETag: Aborted
        var invalid = await Assert.ThrowsAsync<global::Dapr.DaprException>(() => client.TrySaveStateAsync("statestore", "k", 4, "x", firstWrite));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, Assert.IsType<Grpc.Core.RpcException>(invalid.InnerException).StatusCode);
        Assert.True(await client.TrySaveStateAsync("statestore", "new", 5, "9", firstWrite)); // an ETag on an absent key creates it
        Assert.True(await client.TrySaveStateAsync("statestore", "k", 6, "1", firstWrite));
    }
}
