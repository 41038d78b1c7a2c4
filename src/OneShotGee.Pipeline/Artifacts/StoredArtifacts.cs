using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Pipeline.Artifacts;

/// <summary>
/// Whole artifacts (a file or a directory) in an <see cref="IArtifactStore"/> below one key prefix: a file is stored as
/// <c>prefix/&lt;file name&gt;</c> (readers need its extension), a directory's files as <c>prefix/&lt;relative path&gt;</c>.
/// The stored reference is written last to <c>prefix.ref.json</c>, so its presence means the upload completed; a later
/// put of the same content is then skipped.
/// </summary>
public static class StoredArtifacts
{
    public const string RecordSuffix = ".ref.json";

    /// <summary>Stores <paramref name="local"/> (a <c>file://</c> artifact) unless it is stored there already; returns the store's reference.</summary>
    public static async Task<ArtifactRef> PutOnceAsync(
        this IArtifactStore store, string keyPrefix, ArtifactRef local, string scratchDirectory, CancellationToken ct = default)
    {
        var record = ArtifactName.Validate(keyPrefix) + RecordSuffix;
        if (await TryReadRecordAsync(store, record, scratchDirectory, ct) is { } stored && stored.Sha256 == local.Sha256 && stored.Size == local.Size)
            return stored with { Name = local.Name };
        await store.DeleteAsync(record, ct);
        var path = local.LocalPath;
        var put = Directory.Exists(path)
            ? await store.PutDirectoryAsync(keyPrefix, path, ct)
            : await store.PutFileAsync($"{keyPrefix}/{Path.GetFileName(path)}", path, ct);
        if (put.Sha256 != local.Sha256)
            throw new ArtifactIntegrityException($"artifact '{local.Name}' changed while it was stored: SHA-256 {put.Sha256}, expected {local.Sha256}");
        put = put with { Name = local.Name };
        await WriteRecordAsync(store, record, put, scratchDirectory, ct);
        return put;
    }

    /// <summary>
    /// Downloads the artifact at <paramref name="uri"/> (a directory when it ends in '/') to <paramref name="localPath"/>,
    /// verified against the store's hashes and, when given, <paramref name="expectedSha256"/>.
    /// </summary>
    public static Task<ArtifactRef> GetAsync(
        this IArtifactStore store, string uri, string localPath, string? expectedSha256 = null, CancellationToken ct = default)
    {
        var key = store.KeyOf(uri) ?? throw new InvalidInputException($"'{uri}' is not an artifact of this store");
        return uri.EndsWith('/')
            ? store.GetDirectoryAsync(key, localPath, expectedSha256, ct)
            : store.GetFileAsync(key, localPath, expectedSha256, ct);
    }

    static async Task<ArtifactRef?> TryReadRecordAsync(IArtifactStore store, string key, string scratch, CancellationToken ct)
    {
        if (!await store.ExistsAsync(key, ct)) return null;
        var temp = Path.Combine(scratch, $"{Guid.NewGuid():n}.json");
        try
        {
            await store.GetFileAsync(key, temp, ct: ct);
            return JsonSerializer.Deserialize<ArtifactRef>(await File.ReadAllBytesAsync(temp, ct));
        }
        catch (JsonException) { return null; } // unreadable: store the artifact again
        finally { File.Delete(temp); }
    }

    static async Task WriteRecordAsync(IArtifactStore store, string key, ArtifactRef stored, string scratch, CancellationToken ct)
    {
        Directory.CreateDirectory(scratch);
        var temp = Path.Combine(scratch, $"{Guid.NewGuid():n}.json");
        try
        {
            await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(stored), ct);
            await store.PutFileAsync(key, temp, ct);
        }
        finally { File.Delete(temp); }
    }
}
