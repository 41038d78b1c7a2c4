using System.Globalization;
using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Reports;

/// <summary>One line of a run's metrics.jsonl; a quantity the line does not have is null.</summary>
public sealed record TrainingPoint(
    int Step, double? Loss, double? LossEm, double? LossBias, double? HBar, double? EntropyGap, double? Lambda,
    IReadOnlyDictionary<string, double> GroupEntropies);

/// <summary>
/// The training curves of one run, read from the trainer's metrics.jsonl: one JSON object per line with
/// <c>step</c> (required), <c>loss</c>, <c>loss_em</c>, <c>loss_bias</c>, <c>h_bar</c>, <c>entropy_gap</c>,
/// <c>lambda</c>, and the per-group entropies as an object <c>h_g</c> (or <c>group_entropies</c>) of group → value.
/// Other keys (grad_norm, lr, timings…) are skipped.
/// </summary>
public sealed record TrainingRun(string Name, string MetricsPath, IReadOnlyList<TrainingPoint> Points)
{
    public static TrainingRun Read(string name, string metricsPath)
    {
        if (!File.Exists(metricsPath)) throw new InvalidInputException($"training metrics file '{metricsPath}' does not exist");
        var points = new List<TrainingPoint>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(metricsPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} of '{metricsPath}'");
            try
            {
                using var document = JsonDocument.Parse(line);
                points.Add(Point(document.RootElement, where));
            }
            catch (JsonException e) { throw new InvalidInputException($"{where} is not valid JSON: {e.Message}", e); }
        }
        if (points.Count == 0) throw new InvalidInputException($"training metrics file '{metricsPath}' has no lines");
        return new TrainingRun(name, Path.GetFullPath(metricsPath), points);
    }

    static TrainingPoint Point(JsonElement line, string where)
    {
        if (line.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{where} is not a JSON object");
        if (!line.TryGetProperty("step", out var step) || !step.TryGetInt32(out var stepValue))
            throw new InvalidInputException($"{where} has no integer 'step'");
        double? Number(string key) => line.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var groups = new Dictionary<string, double>();
        foreach (var key in new[] { "h_g", "group_entropies" })
            if (line.TryGetProperty(key, out var object_) && object_.ValueKind == JsonValueKind.Object)
                foreach (var group in object_.EnumerateObject())
                    if (group.Value.ValueKind == JsonValueKind.Number) groups[group.Name] = group.Value.GetDouble();
        return new TrainingPoint(stepValue, Number("loss"), Number("loss_em"), Number("loss_bias"), Number("h_bar"),
            Number("entropy_gap"), Number("lambda"), groups);
    }
}
