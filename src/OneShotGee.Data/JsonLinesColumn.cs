using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>One string field of a JSON-lines file (one object per line; blank lines skipped) or of a JSON array of objects.</summary>
static class JsonLinesColumn
{
    /// <param name="arrayAllowed">Whether the file may instead be one JSON array of objects (<c>.json</c>).</param>
    public static List<string> Read(string path, string column, bool arrayAllowed, CancellationToken ct)
    {
        try
        {
            return arrayAllowed && StartsWithArray(path) ? ReadArray(path, column) : ReadLines(path, column, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read input file '{path}': {e.Message}", e);
        }
    }

    static List<string> ReadLines(string path, string column, CancellationToken ct)
    {
        var texts = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber % 4096 == 0) ct.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument document;
            try { document = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new InvalidInputException($"line {lineNumber} of '{path}' is not valid JSON: {e.Message}", e); }
            using (document) texts.Add(Text(document.RootElement, column, $"line {lineNumber} of '{path}'"));
        }
        return texts;
    }

    static List<string> ReadArray(string path, string column)
    {
        using var stream = File.OpenRead(path);
        JsonDocument document;
        try { document = JsonDocument.Parse(stream); }
        catch (JsonException e) { throw new InvalidInputException($"input file '{path}' is not valid JSON: {e.Message}", e); }
        using (document)
            return document.RootElement.EnumerateArray().Select((item, i) => Text(item, column, $"item {i} of '{path}'")).ToList();
    }

    static string Text(JsonElement item, string column, string where)
    {
        if (item.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{where} is not a JSON object");
        if (!item.TryGetProperty(column, out var value))
            throw new InvalidInputException(
                $"column '{column}' not found in {where}; columns present: {string.Join(", ", item.EnumerateObject().Select(p => p.Name))}");
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidInputException($"column '{column}' in {where} is {value.ValueKind}, not a string");
    }

    static bool StartsWithArray(string path)
    {
        using var reader = new StreamReader(path);
        int c;
        while ((c = reader.Read()) >= 0)
            if (!char.IsWhiteSpace((char)c)) return c == '[';
        return false;
    }
}
