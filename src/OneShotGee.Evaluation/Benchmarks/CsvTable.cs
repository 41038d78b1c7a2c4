using System.Text;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>A delimited text file with a header row: RFC 4180 quoting for CSV ("" escapes a quote), none for TSV.</summary>
sealed class CsvTable
{
    readonly string path;
    readonly Dictionary<string, int> columns;

    CsvTable(string path, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        this.path = path;
        columns = header.Select((name, i) => (name, i)).GroupBy(c => c.name).ToDictionary(g => g.Key, g => g.First().i);
        Rows = rows;
    }

    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The index of a column, or an error naming the file, the column and the columns present.</summary>
    public int Column(string name) => columns.TryGetValue(name, out var i) ? i
        : throw new InvalidInputException(
            $"column '{name}' not found in '{path}'; columns present: {string.Join(", ", columns.Keys)}");

    public static CsvTable ReadCsv(string path) => Parse(path, File.ReadAllText(path), quoted: true, ',');

    public static CsvTable ReadTsv(string path) => Parse(path, File.ReadAllText(path), quoted: false, '\t');

    static CsvTable Parse(string path, string text, bool quoted, char separator)
    {
        var records = Records(text, quoted, separator).Where(r => r is not [""]).ToList();
        if (records.Count == 0) throw new InvalidInputException($"'{path}' is empty: expected a header row");
        var header = records[0];
        for (var i = 1; i < records.Count; i++)
            if (records[i].Length != header.Length)
                throw new InvalidInputException($"row {i} of '{path}' has {records[i].Length} fields, the header {header.Length}");
        return new CsvTable(path, header, records[1..]);
    }

    static IEnumerable<string[]> Records(string text, bool quoted, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else inQuotes = false;
            }
            else if (quoted && c == '"') inQuotes = true;
            else if (c == separator) { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                yield return [.. fields];
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString().TrimEnd('\r')); yield return [.. fields]; }
    }
}
