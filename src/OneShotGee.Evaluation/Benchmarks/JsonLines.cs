using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>The objects of a JSON-lines file (blank lines skipped), with field access that names file and line on error.</summary>
static class JsonLines
{
    public static List<JsonRecord> Read(string path)
    {
        var records = new List<JsonRecord>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = $"line {lineNumber} of '{path}'";
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{where} is not a JSON object");
                records.Add(new JsonRecord(document.RootElement.Clone(), where));
            }
            catch (JsonException e) { throw new InvalidInputException($"{where} is not valid JSON: {e.Message}", e); }
        }
        return records;
    }
}

/// <summary>One JSON object and where it came from.</summary>
readonly record struct JsonRecord(JsonElement Element, string Where)
{
    public JsonElement Field(string name) => Element.TryGetProperty(name, out var value) ? value
        : throw new InvalidInputException($"field '{name}' missing in {Where}");

    public JsonElement Object(string name) => Field(name) is { ValueKind: JsonValueKind.Object } value ? value
        : throw new InvalidInputException($"field '{name}' in {Where} is not a JSON object");

    public string String(string name) => Field(name) is { ValueKind: JsonValueKind.String } value ? value.GetString()!
        : throw new InvalidInputException($"field '{name}' in {Where} is not a string");
}
