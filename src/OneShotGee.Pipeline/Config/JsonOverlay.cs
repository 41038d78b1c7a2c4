using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OneShotGee.Core;

namespace OneShotGee.Pipeline.Config;

/// <summary>
/// Applies a run.json section (snake_case settings) over the defaults of a library options record, so the run file
/// accepts exactly the settings the libraries have, with their defaults, and names any it does not know.
/// </summary>
public static class JsonOverlay
{
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    public static T Apply<T>(T defaults, JsonObject? overrides, string section)
    {
        var merged = JsonSerializer.SerializeToNode(defaults, Json)!.AsObject();
        foreach (var (key, value) in overrides ?? [])
        {
            if (!merged.ContainsKey(key))
                throw new InvalidInputException($"{section}: unknown setting '{key}'; known: {string.Join(", ", merged.Select(p => p.Key))}");
            merged[key] = value?.DeepClone();
        }
        try
        {
            return merged.Deserialize<T>(Json) ?? throw new InvalidInputException($"{section}: settings are empty");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{section}: {e.Message}", e);
        }
    }
}
