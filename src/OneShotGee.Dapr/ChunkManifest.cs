using System.Text.Json;
using System.Text.Json.Serialization;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Dapr;

public sealed record Chunk(string Object, long Size, string Sha256);

/// <summary>
/// The index of a file stored as chunks: object <c>&lt;key&gt;.manifest.json</c>, written after every chunk it lists,
/// so its presence means the upload completed. Chunks live at <c>&lt;key&gt;.chunks/&lt;upload id&gt;/&lt;index&gt;</c>;
/// a new upload gets a new id, so replacing a file never overwrites the chunks its current manifest points at.
/// </summary>
public sealed record ChunkManifest(string Key, long Size, string Sha256, string UploadId, IReadOnlyList<Chunk> Chunks)
{
    public const string ManifestSuffix = ".manifest.json";
    public const string ChunksSuffix = ".chunks";

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static string ManifestObject(string key) => key + ManifestSuffix;

    public static string ChunksPrefix(string key) => key + ChunksSuffix + "/";

    public static string ChunkObject(string key, string uploadId, int index) => $"{ChunksPrefix(key)}{uploadId}/{index:D6}";

    /// <summary>Keys whose names would collide with another key's manifest or chunks are refused.</summary>
    public static string ValidateKey(string key)
    {
        if (key.EndsWith(ManifestSuffix, StringComparison.Ordinal) || key.Split('/').Any(s => s.EndsWith(ChunksSuffix, StringComparison.Ordinal)))
            throw new InvalidInputException(
                $"artifact name '{key}' is reserved: names ending in '{ManifestSuffix}' or with a segment ending in '{ChunksSuffix}' hold chunked uploads");
        return key;
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Parses a stored manifest and checks that it describes <paramref name="key"/> and only names its own chunks.</summary>
    public static ChunkManifest Parse(string key, ReadOnlySpan<byte> json)
    {
        ChunkManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<ChunkManifest>(json, Json); }
        catch (JsonException e) { throw new ArtifactIntegrityException($"manifest of '{key}' is not valid JSON: {e.Message}"); }
        if (manifest is null || manifest.Key != key
            || manifest.Chunks.Any(c => !c.Object.StartsWith(ChunksPrefix(key), StringComparison.Ordinal))
            || manifest.Chunks.Sum(c => c.Size) != manifest.Size)
            throw new ArtifactIntegrityException($"manifest of '{key}' does not describe it: wrong key, foreign chunks or sizes that do not add up");
        return manifest;
    }
}
