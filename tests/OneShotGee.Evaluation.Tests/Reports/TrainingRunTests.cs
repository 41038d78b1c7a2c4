using OneShotGee.Core;
using OneShotGee.Evaluation.Reports;

namespace OneShotGee.Evaluation.Tests.Reports;

public sealed class TrainingRunTests : IDisposable
{
    readonly string _path = Path.Combine(Path.GetTempPath(), $"metrics-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Reads_the_trainer_shape_and_the_group_entropies_alias()
    {
        File.WriteAllText(_path, ReportFixture.MetricsJsonl(2, 0.4, 0.04) +
            "\n\n{\"step\": 3, \"group_entropies\": {\"male\": 1.0, \"female\": 0.5}, \"custom\": [1, 2], \"lambda\": null}\n");
        var run = TrainingRun.Read("gee", _path);
        Assert.Equal([1, 2, 3], run.Points.Select(p => p.Step));
        var first = run.Points[0];
        Assert.Equal(2.9, first.Loss!.Value, 12);
        Assert.Equal(2.8, first.LossEm!.Value, 12);
        Assert.Equal(0.1, first.LossBias!.Value, 12);
        Assert.Equal(1.95, first.HBar!.Value, 12);
        Assert.Equal(0.4, first.EntropyGap!.Value, 12);
        Assert.Equal(0.1, first.Lambda!.Value, 12);
        Assert.Equal(2.05, first.GroupEntropies["male"], 12);
        Assert.Equal(1.86, first.GroupEntropies["female"], 12);
        var last = run.Points[2];
        Assert.Null(last.Loss);
        Assert.Null(last.Lambda);
        Assert.Equal(0.5, last.GroupEntropies["female"]);
        Assert.Equal(Path.GetFullPath(_path), run.MetricsPath);
    }

    [Theory]
    [InlineData("{\"loss\": 1}", "no integer 'step'")]
    [InlineData("{\"step\": 1", "not valid JSON")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("\n", "has no lines")]
    public void Bad_files_name_the_line(string content, string message)
    {
        File.WriteAllText(_path, content);
        var error = Assert.Throws<InvalidInputException>(() => TrainingRun.Read("x", _path));
        Assert.Contains(message, error.Message);
        Assert.Contains(_path, error.Message);
    }
}
