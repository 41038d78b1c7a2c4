using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Reports;

/// <summary>report.json: the whole <see cref="EvaluationReport"/> in snake_case, NaN and ∞ written as strings.</summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        // A file for people and tools, not HTML: keep '+', '<', non-ASCII group names readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(EvaluationReport report) => JsonSerializer.Serialize(report, Options);

    public static EvaluationReport Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"report '{path}' does not exist");
        try
        {
            return JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(path), Options)
                ?? throw new InvalidInputException($"report '{path}' is empty");
        }
        catch (JsonException e) { throw new InvalidInputException($"report '{path}' is not a valid report: {e.Message}", e); }
    }
}
