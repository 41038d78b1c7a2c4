using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Config;

/// <summary>
/// run.json: what a GEE run does. Sections hold overrides of the library defaults in snake_case:
/// <c>data</c> and <c>held_out</c> (prepare options), <c>train</c> (train options shared by every variant),
/// <c>variants</c> (a name plus train options each, e.g. EM only with lambda 0 and GEE), <c>evaluation</c>.
/// </summary>
public sealed record RunConfig
{
    /// <summary>A Hugging Face model directory, or "demo" for the built-in demo model.</summary>
    public string Model { get; init; } = "demo";
    public string? RunId { get; init; }
    public JsonObject? Data { get; init; }
    /// <summary>Held-out paired prompts for the entropy gap (prepare options); absent: the built-in templates.</summary>
    public JsonObject? HeldOut { get; init; }
    public JsonObject? Train { get; init; }
    public IReadOnlyList<JsonObject> Variants { get; init; } =
    [
        new() { ["name"] = "em", ["lambda"] = 0.0 },
        new() { ["name"] = "gee", ["lambda"] = 3.0 },
    ];
    public JsonObject? Evaluation { get; init; }

    public static RunConfig Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"run config '{path}' does not exist");
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(path), JsonOverlay.Json)
                   ?? throw new InvalidInputException($"run config '{path}' is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"run config '{path}' is not valid: {e.Message}", e);
        }
    }

    /// <summary>run.json content received from elsewhere (HTTP, pub/sub, a workflow message); <paramref name="source"/> names it in errors.</summary>
    public static RunConfig Parse(ReadOnlySpan<byte> json, string source)
    {
        if (json.IsEmpty) throw new InvalidInputException($"{source} is empty; send the run config (run.json) as JSON");
        try
        {
            return JsonSerializer.Deserialize<RunConfig>(json, JsonOverlay.Json)
                   ?? throw new InvalidInputException($"{source} is null; send the run config (run.json) as a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{source} is not a valid run config: {e.Message}", e);
        }
    }

    public static RunConfig Parse(string json, string source) => Parse(Encoding.UTF8.GetBytes(json), source);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOverlay.Json);

    public string ContentSha256() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));

    /// <summary>The variants by name, their names checked as artifact names and for uniqueness.</summary>
    public IReadOnlyList<(string Name, JsonObject Train)> NamedVariants()
    {
        if (Variants.Count == 0) throw new InvalidInputException("run config: 'variants' is empty; add at least one, e.g. {\"name\": \"gee\"}");
        var named = Variants.Select(v =>
        {
            var name = v["name"]?.GetValue<string>() ?? throw new InvalidInputException("run config: every variant needs a 'name'");
            var train = (JsonObject)v.DeepClone();
            train.Remove("name");
            return (ArtifactName.Validate(name), train);
        }).ToList();
        if (named.GroupBy(v => v.Item1).FirstOrDefault(g => g.Count() > 1 || g.Key == "baseline") is { } clash)
            throw new InvalidInputException($"run config: variant name '{clash.Key}' is used twice or reserved");
        return named;
    }
}
