using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>A prepared dataset as the trainer and evaluator read it: rows with at least two groups.</summary>
public sealed class PreparedDataset
{
    public const string IdColumn = "id";
    public const string TextColumn = "text";
    public const string GroupColumn = "group";
    public const string PairIdColumn = "pair_id";
    public const string SourceColumn = "source";

    PreparedDataset(IReadOnlyList<PreparedRow> rows, IReadOnlyList<string> groups) => (Rows, Groups) = (rows, groups);

    public IReadOnlyList<PreparedRow> Rows { get; }

    /// <summary>Distinct groups in order of first appearance.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <exception cref="InvalidInputException">Missing file or column, null values, or fewer than two groups.</exception>
    public static PreparedDataset Read(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"prepared dataset '{path}' does not exist");
        var columns = ParquetColumns.Read(path, [IdColumn, TextColumn, GroupColumn, PairIdColumn, SourceColumn], "prepared dataset", ct);
        var rows = new PreparedRow[columns[0].Length];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = new PreparedRow(columns[0][i], columns[1][i], columns[2][i], columns[3][i], columns[4][i]);
        var groups = rows.Select(r => r.Group).Distinct().ToArray();
        if (groups.Length < 2)
            throw new InvalidInputException(
                $"prepared dataset '{path}' has {rows.Length} rows of group(s) [{string.Join(", ", groups)}]; it needs at least two groups");
        return new PreparedDataset(rows, groups);
    }
}
