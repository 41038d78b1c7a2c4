using OneShotGee.Core;
using OneShotGee.Tests;
using Parquet;

namespace OneShotGee.Data.Tests;

public class PreparedDatasetTests
{
    static readonly PreparedRow[] Rows =
    [
        new("0", "He runs.", "male", "0", "in.jsonl"),
        new("0-cf", "She runs.", "female", "0", "counterfactual"),
        new("1", "Ünïcödé – her “book”", "female", "1", "in.jsonl"),
        new("1-cf", "Ünïcödé – his “book”", "male", "1", "counterfactual"),
        new("2", "", "male", "2", "in.jsonl"),
    ];

    [Fact]
    public async Task WritesTheDocumentedSchemaAcrossRowGroupsAndReadsItBack()
    {
        using var dir = new TempDirectory();
        var path = dir.File("out.parquet");

        Assert.Equal(5, PreparedDatasetWriter.Write(path, Rows, rowGroupSize: 2));

        await using (var reader = await ParquetReader.CreateAsync(path))
        {
            Assert.Equal(["id", "text", "group", "pair_id", "source"], reader.Schema.GetDataFields().Select(f => f.Name));
            Assert.All(reader.Schema.GetDataFields(), f => Assert.False(f.IsNullable));
            Assert.Equal(3, reader.RowGroupCount);
        }
        var dataset = PreparedDataset.Read(path);
        Assert.Equal(Rows, dataset.Rows);
        Assert.Equal(["male", "female"], dataset.Groups);
        Assert.Equal([path], Directory.GetFiles(dir.Path)); // no temporary file left behind
    }

    [Fact]
    public void AFailureWhileWritingLeavesNoFileAndAnExistingFileUntouched()
    {
        using var dir = new TempDirectory();
        var fresh = dir.File("fresh.parquet");
        var existing = dir.Write("existing.parquet", "previous contents");

        Assert.Throws<InvalidOperationException>(() => PreparedDatasetWriter.Write(fresh, FailingAfter(3), rowGroupSize: 2));
        Assert.Throws<InvalidOperationException>(() => PreparedDatasetWriter.Write(existing, FailingAfter(3), rowGroupSize: 2));

        Assert.False(File.Exists(fresh));
        Assert.Equal("previous contents", File.ReadAllText(existing));
        Assert.Equal([existing], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void CancellationLeavesNoFile()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => PreparedDatasetWriter.Write(dir.File("out.parquet"), Rows, ct: cancel.Token));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ReadRejectsMissingColumnsAndASingleGroup()
    {
        using var dir = new TempDirectory();
        var oneGroup = dir.File("one.parquet");
        PreparedDatasetWriter.Write(oneGroup, Rows.Where(r => r.Group == "male"));

        var single = Assert.Throws<InvalidInputException>(() => PreparedDataset.Read(oneGroup));
        Assert.Contains(oneGroup, single.Message);
        Assert.Contains("[male]", single.Message);

        var wrongFormat = Assert.Throws<InvalidInputException>(() => PreparedDataset.Read(Fixtures.PathOf("data/oneshot/one_problem_r16.parquet")));
        Assert.Contains("column 'id' not found", wrongFormat.Message);
        Assert.Contains("columns present: data_source, problem", wrongFormat.Message);

        Assert.Contains("does not exist", Assert.Throws<InvalidInputException>(() => PreparedDataset.Read(dir.File("none.parquet"))).Message);
    }

    static IEnumerable<PreparedRow> FailingAfter(int count)
    {
        foreach (var row in Rows.Take(count)) yield return row;
        throw new InvalidOperationException("simulated failure while producing rows");
    }
}
