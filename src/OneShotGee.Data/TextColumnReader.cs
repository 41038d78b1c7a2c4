using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>Reads one text column of an input dataset: Parquet (<c>.parquet</c>) or JSON lines (<c>.jsonl</c>; <c>.json</c> may also be one array of objects).</summary>
public static class TextColumnReader
{
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".parquet", ".jsonl", ".json"];

    /// <exception cref="InvalidInputException">Missing or unreadable file, unsupported format, missing column, no rows.</exception>
    public static IReadOnlyList<string> Read(string path, string column, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"input file '{path}' does not exist");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        IReadOnlyList<string> texts = extension switch
        {
            ".parquet" => ParquetColumns.Read(path, [column], "input file", ct)[0],
            ".jsonl" => JsonLinesColumn.Read(path, column, arrayAllowed: false, ct),
            ".json" => JsonLinesColumn.Read(path, column, arrayAllowed: true, ct),
            _ => throw new InvalidInputException(
                $"input file '{path}' has an unsupported format '{extension}'; supported: {string.Join(", ", SupportedExtensions)}"),
        };
        if (texts.Count == 0) throw new InvalidInputException($"input file '{path}' has no rows");
        return texts;
    }
}
