using System.Text.RegularExpressions;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Remote;

/// <summary>
/// Makes an input artifact local: one in the store is downloaded to <c>root/&lt;sha256&gt;/&lt;last key segment&gt;</c>,
/// verified, and reused while intact; a <c>file://</c> artifact intact on this host (a shared volume, the model
/// directory given) is used in place.
/// </summary>
sealed partial class ArtifactCache(IArtifactStore store, string root)
{
    public async Task<ArtifactRef> LocalAsync(ArtifactRef input, CancellationToken ct)
    {
        if (store.KeyOf(input.Uri) is { } key) return await FetchAsync(input, key, ct);
        if (System.Uri.TryCreate(input.Uri, UriKind.Absolute, out var uri) && uri.IsFile && input.IsIntact()) return input;
        throw new InvalidInputException(
            $"input artifact '{input.Name}' at '{input.Uri}' is neither in the artifact store nor intact on this host");
    }

    async Task<ArtifactRef> FetchAsync(ArtifactRef input, string key, CancellationToken ct)
    {
        if (!Sha256Hex().IsMatch(input.Sha256))
            throw new InvalidInputException($"input artifact '{input.Name}' has SHA-256 '{input.Sha256}'; expected 64 lowercase hex digits");
        var folder = Path.Combine(root, input.Sha256);
        using var exclusive = await KeyedLock.AcquireAsync(folder, ct);
        var path = Path.Combine(folder, key.Split('/')[^1]);
        if ((File.Exists(path) || Directory.Exists(path)) && ArtifactRef.Of(input.Name, path) is { } cached && cached.Sha256 == input.Sha256)
            return cached;
        try
        {
            return await store.GetAsync(input.Uri, path, input.Sha256, ct) with { Name = input.Name };
        }
        catch
        {
            // Stores clean up their own temporary files; an emptied folder goes too, so a failed fetch leaves nothing.
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            throw;
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
