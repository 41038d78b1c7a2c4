using System.Globalization;
using System.Text.Json;
using OneShotGee.Core;
using OneShotGee.Data;

namespace OneShotGee.Evaluation.Paired;

/// <summary>
/// Reads a user's paired prompts: Parquet (data prep's output works as is), JSON lines or CSV with columns
/// <c>pair_id</c>, <c>group</c>, <c>text</c>; other columns are ignored. A number is accepted as a pair id. A set may
/// hold any number of groups (one prompt each); JSON lines and CSV may name the id column <c>set_id</c> instead.
/// </summary>
public static class PairedPromptFile
{
    public const string PairIdColumn = "pair_id";
    public const string SetIdColumn = "set_id";
    public const string GroupColumn = "group";
    public const string TextColumn = "text";

    /// <exception cref="InvalidInputException">Missing file, unsupported format, missing column or value, unpaired rows.</exception>
    public static PairedPromptSet Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"paired prompt file '{path}' does not exist");
        var rows = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".parquet" => ReadParquet(path),
            ".jsonl" => ReadJsonLines(path),
            ".csv" => ReadCsv(path),
            var other => throw new InvalidInputException(
                $"paired prompt file '{path}' has an unsupported format '{other}'; supported: .parquet, .jsonl, .csv"),
        };
        return PairedPromptSet.FromRows(Path.GetFileName(path), rows, DatasetHash.Of(path));
    }

    static List<PairedPromptRow> ReadParquet(string path)
    {
        var pairIds = TextColumnReader.Read(path, PairIdColumn);
        var groups = TextColumnReader.Read(path, GroupColumn);
        var texts = TextColumnReader.Read(path, TextColumn);
        return [.. pairIds.Select((id, i) => new PairedPromptRow(id, groups[i], texts[i]))];
    }

    static List<PairedPromptRow> ReadJsonLines(string path)
    {
        var rows = new List<PairedPromptRow>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = $"line {lineNumber} of '{path}'";
            JsonDocument document;
            try { document = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new InvalidInputException($"{where} is not valid JSON: {e.Message}", e); }
            using (document)
            {
                var item = document.RootElement;
                if (item.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{where} is not a JSON object");
                var idColumn = !item.TryGetProperty(PairIdColumn, out _) && item.TryGetProperty(SetIdColumn, out _) ? SetIdColumn : PairIdColumn;
                rows.Add(new PairedPromptRow(Field(item, idColumn, where), Field(item, GroupColumn, where), Field(item, TextColumn, where)));
            }
        }
        return rows;
    }

    static string Field(JsonElement item, string column, string where)
    {
        if (!item.TryGetProperty(column, out var value))
            throw new InvalidInputException(
                $"column '{column}' not found in {where}; columns present: {string.Join(", ", item.EnumerateObject().Select(p => p.Name))}");
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number when column is PairIdColumn or SetIdColumn => value.GetRawText(),
            _ => throw new InvalidInputException($"column '{column}' in {where} is {value.ValueKind}, not a string"),
        };
    }

    static List<PairedPromptRow> ReadCsv(string path)
    {
        var records = CsvRecords.Read(path);
        if (records.Count == 0) throw new InvalidInputException($"paired prompt file '{path}' is empty; expected a header row");
        var header = records[0];
        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new InvalidInputException(
                $"column '{name}' not found in the header of '{path}'; columns present: {string.Join(", ", header)}");
        var (pairId, group, text) = (Column(header.Contains(PairIdColumn) || !header.Contains(SetIdColumn) ? PairIdColumn : SetIdColumn),
            Column(GroupColumn), Column(TextColumn));
        var width = Math.Max(pairId, Math.Max(group, text));
        return [.. records.Skip(1).Select((record, i) => record.Count > width
            ? new PairedPromptRow(record[pairId], record[group], record[text])
            : throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                $"record {i + 1} of '{path}' has {record.Count} fields; the header names {header.Count}")))];
    }
}
