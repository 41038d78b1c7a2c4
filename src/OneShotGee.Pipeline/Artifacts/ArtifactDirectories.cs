using OneShotGee.Core;

namespace OneShotGee.Pipeline.Artifacts;

/// <summary>
/// Directories (checkpoints) in an <see cref="IArtifactStore"/>: each file is the key <c>prefix/relative/path</c>, and
/// the directory's reference carries <see cref="ArtifactRef.Of"/>'s hash over relative paths and contents, so a
/// download can be checked as a whole, including files missing from an interrupted upload.
/// </summary>
public static class ArtifactDirectories
{
    public static async Task<ArtifactRef> PutDirectoryAsync(
        this IArtifactStore store, string keyPrefix, string localDirectory, CancellationToken ct = default)
    {
        ArtifactName.Validate(keyPrefix);
        if (!Directory.Exists(localDirectory))
            throw new InvalidInputException($"cannot store artifact '{keyPrefix}': '{localDirectory}' is not a directory");
        var local = ArtifactRef.Of(keyPrefix, localDirectory);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var key = $"{keyPrefix}/{Path.GetRelativePath(localDirectory, file).Replace(Path.DirectorySeparatorChar, '/')}";
            await store.PutFileAsync(key, file, ct);
            keys.Add(key);
        }
        foreach (var stale in (await store.ListAsync(keyPrefix, ct)).Where(k => !keys.Contains(k)))
            await store.DeleteAsync(stale, ct);
        return local with { Uri = store.UriOf(keyPrefix) + "/" };
    }

    /// <summary>
    /// Downloads every key below <paramref name="keyPrefix"/> into a fresh <paramref name="localDirectory"/> (replacing
    /// it only after the whole directory verified against <paramref name="expectedSha256"/>, when given).
    /// </summary>
    public static async Task<ArtifactRef> GetDirectoryAsync(
        this IArtifactStore store, string keyPrefix, string localDirectory, string? expectedSha256 = null, CancellationToken ct = default)
    {
        var keys = (await store.ListAsync(ArtifactName.Validate(keyPrefix), ct)).Where(k => k.StartsWith(keyPrefix + "/", StringComparison.Ordinal)).ToList();
        if (keys.Count == 0) throw new InvalidInputException($"artifact directory '{keyPrefix}' is not in the store");
        var target = Path.GetFullPath(localDirectory);
        var temp = $"{target}.{Guid.NewGuid():n}.tmp";
        try
        {
            foreach (var key in keys)
                await store.GetFileAsync(key, Path.Combine(temp, key[(keyPrefix.Length + 1)..]), ct: ct);
            var fetched = ArtifactRef.Of(keyPrefix, temp);
            if (expectedSha256 is not null && !string.Equals(fetched.Sha256, expectedSha256, StringComparison.OrdinalIgnoreCase))
                throw new ArtifactIntegrityException(
                    $"artifact directory '{keyPrefix}' has SHA-256 {fetched.Sha256} but {expectedSha256} was expected: files are missing, extra or corrupted");
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(temp, target);
            return ArtifactRef.Of(keyPrefix, target);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
