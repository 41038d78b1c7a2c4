namespace OneShotGee.Pipeline.State;

/// <summary>Run records under optimistic concurrency: every save names the ETag it read, and loses if another won.</summary>
public interface IRunStore
{
    Task<StoredRun?> GetAsync(string runId, CancellationToken ct = default);

    /// <summary>
    /// Saves <paramref name="record"/> if the stored one is still at <paramref name="expectedETag"/> (<c>null</c>: only
    /// if there is none yet) and returns the new ETag; otherwise throws <see cref="RunConflictException"/>.
    /// </summary>
    Task<string> SaveAsync(RunRecord record, string? expectedETag, CancellationToken ct = default);

    /// <summary>Up to <paramref name="count"/> runs, most recently updated first.</summary>
    Task<IReadOnlyList<RunRecord>> ListRecentAsync(int count, CancellationToken ct = default);
}

/// <summary>Another writer changed (or created) the run since the caller read it: re-read, re-apply, save again.</summary>
public sealed class RunConflictException(string runId, string? expectedETag)
    : Exception(expectedETag is null
        ? $"run '{runId}' already exists; read it and save with its ETag"
        : $"run '{runId}' changed since it was read at ETag {expectedETag}; read it again and retry")
{
    public string RunId { get; } = runId;
}
