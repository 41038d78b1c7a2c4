using OneShotGee.Core;
using Parquet;
using Parquet.Schema;

namespace OneShotGee.Data;

/// <summary>Reads whole top-level string columns of a Parquet file, turning library errors into messages that name the file.</summary>
static class ParquetColumns
{
    /// <summary>Each requested column's values (no nulls) in row order; <paramref name="what"/> names the file in messages.</summary>
    public static string[][] Read(string path, IReadOnlyList<string> columns, string what, CancellationToken ct) =>
        ReadAsync(path, columns, what, ct).GetAwaiter().GetResult();

    static async Task<string[][]> ReadAsync(string path, IReadOnlyList<string> columns, string what, CancellationToken ct)
    {
        ParquetReader reader;
        try { reader = await ParquetReader.CreateAsync(path, cancellationToken: ct); }
        catch (Exception e) when (e is IOException or ParquetException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InvalidInputException($"{what} '{path}' is not a readable Parquet file: {e.Message}", e);
        }
        await using (reader)
        {
            var fields = columns.Select(c => Field(reader.Schema, c, path, what)).ToArray();
            var total = reader.RowGroups.Sum(g => g.RowCount);
            var values = columns.Select(_ => new string[total]).ToArray();
            var offset = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = (int)group.RowCount;
                for (var c = 0; c < fields.Length; c++)
                {
                    var target = values[c].AsMemory(offset, count);
                    try { await group.ReadAsync(fields[c], target!, null, ct); }
                    catch (Exception e) when (e is IOException or ParquetException or ArgumentException or InvalidDataException)
                    {
                        throw new InvalidInputException($"cannot read column '{columns[c]}' of {what} '{path}' as text: {e.Message}", e);
                    }
                    var nullAt = Array.IndexOf(values[c], null, offset, count);
                    if (nullAt >= 0) throw new InvalidInputException($"row {nullAt} of column '{columns[c]}' in {what} '{path}' is null");
                }
                offset += count;
            }
            return values;
        }
    }

    static DataField Field(ParquetSchema schema, string column, string path, string what) =>
        schema.Fields.FirstOrDefault(f => f.Name == column) switch
        {
            DataField { IsArray: false } field => field,
            null => throw new InvalidInputException(
                $"column '{column}' not found in {what} '{path}'; columns present: {string.Join(", ", schema.Fields.Select(f => f.Name))}"),
            var other => throw new InvalidInputException(
                $"column '{column}' of {what} '{path}' is a {other.SchemaType} column, not text"),
        };
}
