using OneShotGee.Core;

namespace OneShotGee.Pipeline.Artifacts;

/// <summary>
/// Directories (checkpoints) in an <see cref="IArtifactStore"/>: each file is the key <c>prefix/relative/path</c>, and
/// the directory's reference carries <see cref="ArtifactRef.Of"/>'s hash over relative paths and contents, so a
/// download can be checked as a whole, including files missing from an interrupted upload. Beside the files, the key
/// <c>prefix.files.json</c> lists their relative paths, so a download reads that list instead of listing the store: a
/// cloud listing pages, and Azure Blob's Dapr binding returns one page of 5,000 objects only (a 10 GB checkpoint has
/// more chunks than that).
/// </summary>
public static class ArtifactDirectories
{
    public static string IndexKey(string keyPrefix) => keyPrefix + ".files.json";

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
        await PutIndexAsync(store, keyPrefix, [.. keys.Select(k => k[(keyPrefix.Length + 1)..]).Order(StringComparer.Ordinal)], ct);
        foreach (var stale in (await store.ListAsync(keyPrefix, ct)).Where(k => !keys.Contains(k)))
            await store.DeleteAsync(stale, ct);
        return local with { Uri = store.UriOf(keyPrefix) + "/" };
    }

    static async Task PutIndexAsync(IArtifactStore store, string keyPrefix, IReadOnlyList<string> files, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"oneshotgee-index-{Guid.NewGuid():n}.json");
        try
        {
            await File.WriteAllTextAsync(temp, System.Text.Json.JsonSerializer.Serialize(files), ct);
            await store.PutFileAsync(IndexKey(keyPrefix), temp, ct);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The directory's file keys: from its index, or for a directory stored without one, from a listing.</summary>
    static async Task<IReadOnlyList<string>> FileKeysAsync(IArtifactStore store, string keyPrefix, CancellationToken ct)
    {
        if (!await store.ExistsAsync(IndexKey(keyPrefix), ct))
            return [.. (await store.ListAsync(keyPrefix, ct)).Where(k => k.StartsWith(keyPrefix + "/", StringComparison.Ordinal))];
        var temp = Path.Combine(Path.GetTempPath(), $"oneshotgee-index-{Guid.NewGuid():n}.json");
        try
        {
            await store.GetFileAsync(IndexKey(keyPrefix), temp, ct: ct);
            var files = System.Text.Json.JsonSerializer.Deserialize<List<string>>(await File.ReadAllTextAsync(temp, ct))
                ?? throw new ArtifactIntegrityException($"the file list of artifact directory '{keyPrefix}' is empty");
            return [.. files.Select(f => $"{keyPrefix}/{f}")];
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Downloads every key below <paramref name="keyPrefix"/> into a fresh <paramref name="localDirectory"/> (replacing
    /// it only after the whole directory verified against <paramref name="expectedSha256"/>, when given).
    /// </summary>
    public static async Task<ArtifactRef> GetDirectoryAsync(
        this IArtifactStore store, string keyPrefix, string localDirectory, string? expectedSha256 = null, CancellationToken ct = default)
    {
        var keys = await FileKeysAsync(store, ArtifactName.Validate(keyPrefix), ct);
        if (keys.Count == 0) throw new InvalidInputException($"artifact directory '{keyPrefix}' is not in the store");
        var target = Path.GetFullPath(localDirectory);
        var temp = $"{target}.{Guid.NewGuid():n}.tmp";
        try
        {
            foreach (var key in keys)
            {
                if (!await store.ExistsAsync(key, ct))
                    throw new ArtifactIntegrityException($"artifact directory '{keyPrefix}' lists '{key}', which is missing from the store");
                await store.GetFileAsync(key, Path.Combine(temp, key[(keyPrefix.Length + 1)..]), ct: ct);
            }
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
