using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using OneShotGee.Core;

namespace OneShotGee.Pipeline.State;

/// <summary>
/// Run records as <c>directory/&lt;run id&gt;.json</c> for the embedded mode. The ETag is the SHA-256 of the file's bytes;
/// a save compares and writes while holding an exclusive lock on <c>&lt;run id&gt;.lock</c> (an OS file lock, so it also
/// holds between processes) and replaces the file by rename, so readers never see a partial record.
/// </summary>
public sealed class LocalRunStore(string directory) : IRunStore
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public string Root { get; } = Path.GetFullPath(directory);

    public async Task<StoredRun?> GetAsync(string runId, CancellationToken ct = default)
    {
        var path = PathOf(runId);
        if (!File.Exists(path)) return null;
        return Parse(path, await File.ReadAllBytesAsync(path, ct));
    }

    public async Task<string> SaveAsync(RunRecord record, string? expectedETag, CancellationToken ct = default)
    {
        var path = PathOf(record.RunId);
        Directory.CreateDirectory(Root);
        await using var held = await LockAsync(Path.ChangeExtension(path, ".lock"), ct);
        string? current = File.Exists(path) ? ETagOf(await File.ReadAllBytesAsync(path, ct)) : null;
        if (current != expectedETag) throw new RunConflictException(record.RunId, expectedETag);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, bytes, ct);
        File.Move(temp, path, overwrite: true);
        return ETagOf(bytes);
    }

    public async Task<IReadOnlyList<RunRecord>> ListRecentAsync(int count, CancellationToken ct = default)
    {
        if (!Directory.Exists(Root)) return [];
        var records = new List<RunRecord>();
        foreach (var path in Directory.EnumerateFiles(Root, "*.json"))
            records.Add(Parse(path, await File.ReadAllBytesAsync(path, ct)).Record);
        return [.. records.OrderByDescending(r => r.Updated).Take(count)];
    }

    string PathOf(string runId) => Path.Combine(Root, RunRecord.ValidateRunId(runId) + ".json");

    static string ETagOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static StoredRun Parse(string path, byte[] bytes)
    {
        try { return new StoredRun(JsonSerializer.Deserialize<RunRecord>(bytes, Json)!, ETagOf(bytes)); }
        catch (JsonException e) { throw new InvalidInputException($"run record '{path}' is not valid: {e.Message}", e); }
    }

    /// <summary>FileShare.None takes an exclusive lock (flock on Unix); a second holder gets an IOException and waits.</summary>
    static async Task<FileStream> LockAsync(string lockPath, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try { return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { await Task.Delay(5, ct); }
        }
    }
}
