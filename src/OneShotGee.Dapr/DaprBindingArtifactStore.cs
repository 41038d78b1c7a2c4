using System.Security.Cryptography;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Dapr;

/// <summary>
/// An <see cref="IArtifactStore"/> on a Dapr storage output binding. Each file travels as chunks of at most
/// <c>chunkBytes</c> (base64 adds a third, so the 2 MiB default stays under the sidecar's 4 MiB default body limit),
/// then a <see cref="ChunkManifest"/> with every chunk's SHA-256 and the whole file's. The manifest is written last and
/// removed first, so no reader ever finds one that points at missing chunks; downloads verify each chunk and the file.
/// </summary>
public sealed class DaprBindingArtifactStore : IArtifactStore
{
    public const int DefaultChunkBytes = 2 << 20;

    readonly ObjectBinding _binding;
    readonly int _chunkBytes;

    public DaprBindingArtifactStore(ObjectBinding binding, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        _binding = binding;
        _chunkBytes = chunkBytes;
    }

    public string UriOf(string key) => $"dapr://{_binding.Name}/{Validate(key)}";

    public async Task<ArtifactRef> PutFileAsync(string key, string localPath, CancellationToken ct = default)
    {
        Validate(key);
        if (!File.Exists(localPath)) throw new InvalidInputException($"cannot store artifact '{key}': '{localPath}' is not a file");
        var previous = await TryReadManifestAsync(key, ct);
        var uploadId = Guid.NewGuid().ToString("n")[..16];
        var chunks = new List<Chunk>();
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[_chunkBytes];
        await using (var source = File.OpenRead(localPath))
        {
            int read;
            while ((read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct)) > 0)
            {
                var data = buffer.AsMemory(0, read);
                whole.AppendData(data.Span);
                var chunk = new Chunk(ChunkManifest.ChunkObject(key, uploadId, chunks.Count), read, Sha256(data.Span));
                await _binding.CreateAsync(chunk.Object, data.Span, ct);
                chunks.Add(chunk);
            }
        }
        var manifest = new ChunkManifest(key, chunks.Sum(c => c.Size), Convert.ToHexStringLower(whole.GetHashAndReset()), uploadId, chunks);
        await _binding.CreateAsync(ChunkManifest.ManifestObject(key), manifest.ToJson(), ct);
        foreach (var stale in previous?.Chunks ?? []) await _binding.DeleteAsync(stale.Object, ct);
        return new ArtifactRef(key, UriOf(key), manifest.Size, manifest.Sha256);
    }

    public async Task<ArtifactRef> GetFileAsync(string key, string localPath, string? expectedSha256 = null, CancellationToken ct = default)
    {
        var manifest = await TryReadManifestAsync(Validate(key), ct)
            ?? throw new InvalidInputException($"artifact '{key}' is not in binding '{_binding.Name}'");
        if (expectedSha256 is not null && !string.Equals(manifest.Sha256, expectedSha256, StringComparison.OrdinalIgnoreCase))
            throw new ArtifactIntegrityException($"artifact '{key}' is stored with SHA-256 {manifest.Sha256} but {expectedSha256} was expected");
        var target = Path.GetFullPath(localPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = $"{target}.{Guid.NewGuid():n}.tmp";
        try
        {
            using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var destination = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                foreach (var chunk in manifest.Chunks)
                {
                    var data = await _binding.GetAsync(chunk.Object, ct);
                    if (data.Length != chunk.Size || Sha256(data.Span) != chunk.Sha256)
                        throw new ArtifactIntegrityException(
                            $"chunk '{chunk.Object}' of artifact '{key}' has {data.Length} bytes with SHA-256 {Sha256(data.Span)}; the manifest says {chunk.Size} bytes, {chunk.Sha256}");
                    whole.AppendData(data.Span);
                    await destination.WriteAsync(data, ct);
                }
            }
            var sha = Convert.ToHexStringLower(whole.GetHashAndReset());
            if (sha != manifest.Sha256)
                throw new ArtifactIntegrityException($"artifact '{key}' reassembled to SHA-256 {sha}; the manifest says {manifest.Sha256}");
            File.Move(temp, target, overwrite: true);
            return new ArtifactRef(key, new Uri(target).AbsoluteUri, manifest.Size, sha);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken ct = default)
    {
        if (prefix != "") Validate(prefix);
        var objects = await _binding.ListAsync(prefix, ct);
        return [.. objects
            .Where(o => o.EndsWith(ChunkManifest.ManifestSuffix, StringComparison.Ordinal))
            .Select(o => o[..^ChunkManifest.ManifestSuffix.Length])
            .Where(k => prefix == "" || k == prefix || k.StartsWith(prefix + "/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        var manifest = ChunkManifest.ManifestObject(Validate(key));
        return (await _binding.ListAsync(manifest, ct)).Contains(manifest);
    }

    /// <summary>Manifests go first, so a concurrent reader finds a complete artifact or none; then chunks, orphans included.</summary>
    public async Task DeleteAsync(string keyOrPrefix, CancellationToken ct = default)
    {
        Validate(keyOrPrefix);
        var objects = (await _binding.ListAsync(keyOrPrefix, ct))
            .Where(o => o == ChunkManifest.ManifestObject(keyOrPrefix)
                || o.StartsWith(ChunkManifest.ChunksPrefix(keyOrPrefix), StringComparison.Ordinal)
                || o.StartsWith(keyOrPrefix + "/", StringComparison.Ordinal))
            .ToList();
        foreach (var o in objects.Where(o => o.EndsWith(ChunkManifest.ManifestSuffix, StringComparison.Ordinal)))
            await _binding.DeleteAsync(o, ct);
        foreach (var o in objects.Where(o => !o.EndsWith(ChunkManifest.ManifestSuffix, StringComparison.Ordinal)))
            await _binding.DeleteAsync(o, ct);
    }

    async Task<ChunkManifest?> TryReadManifestAsync(string key, CancellationToken ct) =>
        await ExistsAsync(key, ct) ? ChunkManifest.Parse(key, (await _binding.GetAsync(ChunkManifest.ManifestObject(key), ct)).Span) : null;

    static string Validate(string key) => ChunkManifest.ValidateKey(ArtifactName.Validate(key));

    static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
