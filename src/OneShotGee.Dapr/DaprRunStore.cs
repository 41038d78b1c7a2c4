using System.Text.Json;
using Dapr;
using Dapr.Client;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Dapr;

/// <summary>
/// Run records in a Dapr state store (key <c>run-&lt;id&gt;</c>) under the store's ETags. A create is a first-write save
/// with an empty ETag, which state stores such as Redis treat as insert-only. The state API cannot list keys, so an index
/// (key <c>runs-index</c>: the newest <see cref="IndexCapacity"/> run ids) is maintained by compare-and-swap after each save.
/// </summary>
/// <remarks>
/// A refused create is not an ETag mismatch to the store: Redis answers a plain error, which daprd returns as Internal,
/// not the Aborted that <c>TrySaveStateAsync</c> turns into false. So a failed create reads the key back: a record there
/// means the run exists (a conflict, which callers treat as "already created"); none means the failure was real.
/// </remarks>
public sealed class DaprRunStore(DaprClient dapr, string storeName) : IRunStore
{
    public const int IndexCapacity = 1000;

    /// <summary>
    /// Records per bulk read, so that one GetBulkState answer stays under gRPC's default 4 MiB receive limit
    /// (Grpc.Net.Client GrpcChannelOptions.MaxReceiveMessageSize, 4 MB by default) with every record at its largest
    /// (issue 15 finding 11). A record embeds its run config as a JSON string, up to the orchestrator's 64 KiB request
    /// body (RunSubmissions.MaxBodyBytes); stored through DaprClient's System.Text.Json (web defaults, default
    /// JavaScriptEncoder) each config character may become a 6-byte escape (<c>\u003C</c> for <c>&lt;</c>, <c>\"</c> is
    /// 2), so <see cref="MaxRecordBytes"/> allows 6 x 64 KiB plus 16 KiB for the rest of the record (metrics, artifact
    /// refs, error) and the answer's per-item key, ETag and framing: 400 KiB. 4 MiB / 400 KiB = 10.24, so 10.
    /// </summary>
    public const int BulkReadSize = GrpcReceiveLimitBytes / MaxRecordBytes;

    /// <summary>gRPC's default receive limit (4 MiB) that a bulk read must fit in.</summary>
    public const int GrpcReceiveLimitBytes = 4 * 1024 * 1024;

    /// <summary>The largest run record a bulk read plans for, as stored: see <see cref="BulkReadSize"/>.</summary>
    public const int MaxRecordBytes = 6 * 64 * 1024 + 16 * 1024;
    const string IndexKey = "runs-index";
    const int IndexAttempts = 20;

    static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite, Consistency = ConsistencyMode.Strong };

    public async Task<StoredRun?> GetAsync(string runId, CancellationToken ct = default)
    {
        var (record, etag) = await dapr.GetStateAndETagAsync<RunRecord?>(storeName, KeyOf(runId), ConsistencyMode.Strong, cancellationToken: ct);
        return record is null ? null : new StoredRun(record, etag);
    }

    public async Task<string> SaveAsync(RunRecord record, string? expectedETag, CancellationToken ct = default)
    {
        var key = KeyOf(record.RunId);
        if (!await TrySaveAsync(key, record, expectedETag, ct))
            throw new RunConflictException(record.RunId, expectedETag);
        // A save does not return the new ETag: read it back, and if another writer got in between, report the conflict
        // rather than hand out an ETag for a record the caller did not write.
        var (stored, etag) = await dapr.GetStateAndETagAsync<RunRecord?>(storeName, key, ConsistencyMode.Strong, cancellationToken: ct);
        if (stored is null || !SameJson(stored, record)) throw new RunConflictException(record.RunId, expectedETag);
        await IndexAsync(record.RunId, ct);
        return etag;
    }

    /// <summary>
    /// Every save moves its run to the front of the index, so the first <paramref name="count"/> ids are the most recently
    /// updated runs (up to writers racing between a save and its index update); they are read in bulk requests of
    /// <see cref="BulkReadSize"/>.
    /// </summary>
    public async Task<IReadOnlyList<RunRecord>> ListRecentAsync(int count, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var ids = await dapr.GetStateAsync<List<string>?>(storeName, IndexKey, ConsistencyMode.Strong, cancellationToken: ct) ?? [];
        var keys = ids.Take(count).Select(KeyOf).ToList();
        if (keys.Count == 0) return [];
        var records = new List<RunRecord>();
        foreach (var batch in keys.Chunk(BulkReadSize))
        {
            var items = await dapr.GetBulkStateAsync<RunRecord?>(storeName, batch, parallelism: null, cancellationToken: ct);
            records.AddRange(items.Where(i => i.Value is not null).Select(i => i.Value!));
        }
        return [.. records.OrderByDescending(r => r.Updated)];
    }

    async Task IndexAsync(string runId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < IndexAttempts; attempt++)
        {
            var (ids, etag) = await dapr.GetStateAndETagAsync<List<string>?>(storeName, IndexKey, ConsistencyMode.Strong, cancellationToken: ct);
            List<string> updated = [runId, .. (ids ?? []).Where(id => id != runId).Take(IndexCapacity - 1)];
            if (ids is not null && ids.SequenceEqual(updated)) return;
            if (await TrySaveAsync(IndexKey, updated, etag, ct)) return;
        }
        throw new InvalidOperationException($"could not update '{IndexKey}' in state store '{storeName}' after {IndexAttempts} attempts");
    }

    /// <summary>False when another writer got there first: a stale ETag, or a create of a key that now exists.</summary>
    async Task<bool> TrySaveAsync<T>(string key, T value, string? expectedETag, CancellationToken ct)
    {
        try
        {
            return await dapr.TrySaveStateAsync(storeName, key, value, expectedETag ?? "", FirstWrite, cancellationToken: ct);
        }
        catch (DaprException) when (string.IsNullOrEmpty(expectedETag)) // a create: the run record, or the index when it has none yet
        {
            var (_, etag) = await dapr.GetStateAndETagAsync<T?>(storeName, key, ConsistencyMode.Strong, cancellationToken: ct);
            if (!string.IsNullOrEmpty(etag)) return false;
            throw;
        }
    }

    bool SameJson(RunRecord a, RunRecord b) =>
        JsonSerializer.Serialize(a, dapr.JsonSerializerOptions) == JsonSerializer.Serialize(b, dapr.JsonSerializerOptions);

    static string KeyOf(string runId) => "run-" + RunRecord.ValidateRunId(runId);
}
