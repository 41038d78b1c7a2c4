namespace OneShotGee.Pipeline.Artifacts;

/// <summary>
/// Where artifacts live between steps and services. Keys are artifact names (<see cref="ArtifactName"/>); a directory
/// (a checkpoint) is the set of keys below a prefix. Puts replace; gets write the local file only once it is verified.
/// Directory transfers are built on these operations in <see cref="ArtifactDirectories"/>.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Where <paramref name="key"/> lives in this store, as a URI for <see cref="ArtifactRef.Uri"/>.</summary>
    string UriOf(string key);

    /// <summary>Stores the file, replacing any artifact under the same key; returns the stored artifact's reference.</summary>
    Task<ArtifactRef> PutFileAsync(string key, string localPath, CancellationToken ct = default);

    /// <summary>
    /// Copies the artifact to <paramref name="localPath"/> and returns the local file's reference. Throws
    /// <see cref="ArtifactIntegrityException"/> (leaving <paramref name="localPath"/> untouched) when the content does
    /// not hash to <paramref name="expectedSha256"/> or, for stores that record hashes, to the recorded one.
    /// </summary>
    Task<ArtifactRef> GetFileAsync(string key, string localPath, string? expectedSha256 = null, CancellationToken ct = default);

    /// <summary>Keys equal to <paramref name="prefix"/> or below <c>prefix/</c> (all keys for ""), in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken ct = default);

    Task<bool> ExistsAsync(string key, CancellationToken ct = default);

    /// <summary>Deletes the artifact at <paramref name="keyOrPrefix"/> and every artifact below it.</summary>
    Task DeleteAsync(string keyOrPrefix, CancellationToken ct = default);
}
