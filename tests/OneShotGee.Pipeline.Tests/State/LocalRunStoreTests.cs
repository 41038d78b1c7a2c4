using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Pipeline.Tests.State;

public sealed class LocalRunStoreTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-runs-").FullName;
    readonly LocalRunStore _store;

    public LocalRunStoreTests() => _store = new LocalRunStore(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static RunRecord Run(string id, RunStatus status = RunStatus.Pending, string stage = "prepare", int minute = 0) => new(
        id, status, stage, "{\"lambda\":0.5}",
        new Dictionary<string, double> { ["entropy_gap"] = 0.25 },
        [new ArtifactRef("prepared.parquet", "file:///tmp/prepared.parquet", 10, new string('a', 64))],
        new DateTimeOffset(2026, 11, 25, 12, minute, 0, TimeSpan.Zero));

    [Fact]
    public async Task SavedRecordReadsBackWithItsETag()
    {
        var etag = await _store.SaveAsync(Run("r1"), expectedETag: null);
        var stored = await _store.GetAsync("r1");

        Assert.NotNull(stored);
        Assert.Equal(etag, stored.ETag);
        Assert.Equal(RunStatus.Pending, stored.Record.Status);
        Assert.Equal(0.25, stored.Record.Metrics["entropy_gap"]);
        Assert.Equal("prepared.parquet", Assert.Single(stored.Record.Artifacts).Name);
        Assert.Null(await _store.GetAsync("absent"));
    }

    [Fact]
    public async Task SaveWithAStaleETagConflicts()
    {
        var first = await _store.SaveAsync(Run("r1"), null);
        var second = await _store.SaveAsync(Run("r1", RunStatus.Running, "train"), first);
        Assert.NotEqual(first, second);

        await Assert.ThrowsAsync<RunConflictException>(() => _store.SaveAsync(Run("r1", RunStatus.Failed), first));
        Assert.Equal("train", (await _store.GetAsync("r1"))!.Record.Stage);
    }

    [Fact]
    public async Task CreatingARunThatExistsConflicts()
    {
        await _store.SaveAsync(Run("r1"), null);
        var error = await Assert.ThrowsAsync<RunConflictException>(() => _store.SaveAsync(Run("r1"), null));
        Assert.Equal("r1", error.RunId);
    }

    [Fact]
    public async Task OfConcurrentWritersFromOneETagExactlyOneWins()
    {
        var etag = await _store.SaveAsync(Run("r1"), null);
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try { await _store.SaveAsync(Run("r1", RunStatus.Running, $"writer-{i}"), etag); return true; }
            catch (RunConflictException) { return false; }
        }));
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(won => won));
        var winner = Array.IndexOf(results, true);
        Assert.Equal($"writer-{winner}", (await _store.GetAsync("r1"))!.Record.Stage);
    }

    [Fact]
    public async Task ListRecentOrdersByUpdateTime()
    {
        await _store.SaveAsync(Run("old", minute: 1), null);
        await _store.SaveAsync(Run("newest", minute: 9), null);
        await _store.SaveAsync(Run("middle", minute: 5), null);

        Assert.Equal(["newest", "middle"], (await _store.ListRecentAsync(2)).Select(r => r.RunId));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("-leading-dash")]
    public async Task UnsafeRunIdsAreRejected(string runId)
    {
        await Assert.ThrowsAsync<InvalidInputException>(() => _store.SaveAsync(Run(runId), null));
        await Assert.ThrowsAsync<InvalidInputException>(() => _store.GetAsync(runId));
    }
}
