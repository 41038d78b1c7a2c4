using System.Text.Json;
using System.Text.Json.Serialization;
using OneShotGee.Core;

namespace OneShotGee.Pipeline.Runs;

/// <summary>
/// <c>manifest.json</c> of a run directory: the run's id, the hash of its configuration and every step's record.
/// Rewritten atomically after each change, so a crash leaves the last consistent state.
/// </summary>
public sealed record RunManifest(string RunId, string ConfigSha256, DateTimeOffset Created, IReadOnlyList<StepRecord> Steps)
{
    public const string FileName = "manifest.json";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public StepRecord? Step(string name) => Steps.FirstOrDefault(s => s.Name == name);

    public RunManifest With(StepRecord record) => this with
    {
        Steps = Steps.Any(s => s.Name == record.Name)
            ? [.. Steps.Select(s => s.Name == record.Name ? record : s)]
            : [.. Steps, record],
    };

    public static RunManifest? TryLoad(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidInputException($"run manifest '{path}' is not valid: {e.Message}", e); }
    }

    public void Save(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        var path = Path.Combine(runDirectory, FileName);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp"; // two hosts saving into one shared run directory never share a temp file
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }
}
