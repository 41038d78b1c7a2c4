using OneShotGee.Core;
using Parquet;
using Parquet.Schema;

namespace OneShotGee.Data;

/// <summary>
/// Writes prepared rows as Parquet (columns <c>id, text, group, pair_id, source</c>, all non-null strings).
/// The file appears whole or not at all: rows go to a temporary file beside the target, renamed over it at the end;
/// on any failure the temporary file is deleted and an existing file at the path is left untouched.
/// </summary>
public static class PreparedDatasetWriter
{
    public const int DefaultRowGroupSize = 65_536;

    internal static readonly ParquetSchema Schema = new(
        new DataField<string>(PreparedDataset.IdColumn, false),
        new DataField<string>(PreparedDataset.TextColumn, false),
        new DataField<string>(PreparedDataset.GroupColumn, false),
        new DataField<string>(PreparedDataset.PairIdColumn, false),
        new DataField<string>(PreparedDataset.SourceColumn, false));

    /// <returns>The number of rows written.</returns>
    public static long Write(string path, IEnumerable<PreparedRow> rows, int rowGroupSize = DefaultRowGroupSize,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowGroupSize);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            long written;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                written = WriteAsync(stream, rows, rowGroupSize, ct).GetAwaiter().GetResult();
            File.Move(temporary, fullPath, overwrite: true);
            return written;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteIfPresent(temporary);
            throw new InvalidInputException($"cannot write output file '{path}': {e.Message}", e);
        }
        catch
        {
            DeleteIfPresent(temporary);
            throw;
        }
    }

    static async Task<long> WriteAsync(Stream stream, IEnumerable<PreparedRow> rows, int rowGroupSize, CancellationToken ct)
    {
        var columns = Enumerable.Range(0, Schema.DataFields.Length).Select(_ => new string[rowGroupSize]).ToArray();
        long written = 0;
        await using var writer = await ParquetWriter.CreateAsync(Schema, stream, cancellationToken: ct);
        var count = 0;
        foreach (var row in rows)
        {
            (columns[0][count], columns[1][count], columns[2][count], columns[3][count], columns[4][count]) =
                (row.Id, row.Text, row.Group, row.PairId, row.Source);
            if (++count < rowGroupSize) continue;
            await WriteRowGroupAsync(writer, columns, count, ct);
            written += count;
            count = 0;
        }
        if (count > 0 || written == 0) await WriteRowGroupAsync(writer, columns, count, ct);
        return written + count;
    }

    static async Task WriteRowGroupAsync(ParquetWriter writer, string[][] columns, int count, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < columns.Length; c++)
            await group.WriteAsync(Schema.DataFields[c], new ArraySegment<string>(columns[c], 0, count), null);
        group.CompleteValidate();
    }

    static void DeleteIfPresent(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}
