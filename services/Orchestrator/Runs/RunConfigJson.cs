using System.Text.Json;
using OneShotGee.Core;
using OneShotGee.Pipeline.Config;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>run.json content received over HTTP or pub/sub, parsed with the same JSON settings as <see cref="RunConfig.Load"/>.</summary>
public static class RunConfigJson
{
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

    public static RunConfig Parse(string json, string source) => Parse(System.Text.Encoding.UTF8.GetBytes(json), source);
}
