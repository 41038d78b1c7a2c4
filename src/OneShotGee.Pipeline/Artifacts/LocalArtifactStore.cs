using OneShotGee.Core;

namespace OneShotGee.Pipeline.Artifacts;

/// <summary>
/// The embedded artifact store: key <c>k</c> is the file <c>root/k</c>, the layout Dapr's <c>bindings.localstorage</c>
/// gives a <c>create</c> with <c>fileName: k</c> under its <c>rootPath</c>. Writes go to a temporary file beside the
/// target (its name starts with '~', which no key may) and are renamed into place, so readers see old or new, never half.
/// </summary>
public sealed class LocalArtifactStore(string rootDirectory) : IArtifactStore
{
    const string TempMarker = "~";

    public string Root { get; } = Path.GetFullPath(rootDirectory);

    public string UriOf(string key) => new Uri(PathOf(key)).AbsoluteUri;

    public async Task<ArtifactRef> PutFileAsync(string key, string localPath, CancellationToken ct = default)
    {
        var target = PathOf(key);
        if (!File.Exists(localPath)) throw new InvalidInputException($"cannot store artifact '{key}': '{localPath}' is not a file");
        await using var source = File.OpenRead(localPath);
        var (size, sha) = await WriteAtomicallyAsync(source, target, expectedSha256: null, ct);
        return new ArtifactRef(key, UriOf(key), size, sha);
    }

    public async Task<ArtifactRef> GetFileAsync(string key, string localPath, string? expectedSha256 = null, CancellationToken ct = default)
    {
        var stored = PathOf(key);
        if (!File.Exists(stored)) throw new InvalidInputException($"artifact '{key}' is not in the store at '{Root}'");
        var target = Path.GetFullPath(localPath);
        await using var source = File.OpenRead(stored);
        var (size, sha) = await WriteAtomicallyAsync(source, target, expectedSha256, ct);
        return new ArtifactRef(key, new Uri(target).AbsoluteUri, size, sha);
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken ct = default)
    {
        var keys = new List<string>();
        if (prefix == "")
        {
            if (Directory.Exists(Root)) keys.AddRange(KeysUnder(Root));
        }
        else
        {
            var path = PathOf(prefix);
            if (File.Exists(path)) keys.Add(prefix);
            if (Directory.Exists(path)) keys.AddRange(KeysUnder(path));
        }
        keys.Sort(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string keyOrPrefix, CancellationToken ct = default)
    {
        var path = PathOf(keyOrPrefix);
        if (File.Exists(path)) File.Delete(path);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        return Task.CompletedTask;
    }

    string PathOf(string key) => Path.Combine(Root, ArtifactName.Validate(key));

    IEnumerable<string> KeysUnder(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(TempMarker, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'));

    /// <summary>Copies into a temporary file beside <paramref name="target"/>, checks the hash, then renames.</summary>
    static async Task<(long Size, string Sha256)> WriteAtomicallyAsync(Stream source, string target, string? expectedSha256, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $"{TempMarker}{Path.GetFileName(target)}.{Guid.NewGuid():n}.tmp");
        try
        {
            (long Size, string Sha256) copied;
            await using (var destination = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                copied = await HashingCopy.CopyAsync(source, destination, ct);
            if (expectedSha256 is not null && !string.Equals(copied.Sha256, expectedSha256, StringComparison.OrdinalIgnoreCase))
                throw new ArtifactIntegrityException(
                    $"'{target}' would have SHA-256 {copied.Sha256} but {expectedSha256} was expected: the stored artifact is corrupted");
            File.Move(temp, target, overwrite: true);
            return copied;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
