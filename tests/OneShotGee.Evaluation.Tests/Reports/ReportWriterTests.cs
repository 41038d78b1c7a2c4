using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using OneShotGee.Core;
using OneShotGee.Evaluation.Reports;

namespace OneShotGee.Evaluation.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    (EvaluationReport Report, ReportFiles Files) WriteReport()
    {
        var em = Path.Combine(_dir, "em-metrics.jsonl");
        var gee = Path.Combine(_dir, "gee-metrics.jsonl");
        File.WriteAllText(em, ReportFixture.MetricsJsonl(10, 0.3, 0.02));
        File.WriteAllText(gee, ReportFixture.MetricsJsonl(10, 0.1, 0.04));
        var report = ReportFixture.Create([TrainingRun.Read("em", em), TrainingRun.Read("gee", gee)]);
        return (report, ReportWriter.Write(Path.Combine(_dir, "out"), report));
    }

    [Fact]
    public void Report_json_round_trips_and_holds_every_number()
    {
        var (report, files) = WriteReport();
        var text = File.ReadAllText(files.Json);
        Assert.Equal(text, ReportJson.Serialize(ReportJson.Read(files.Json)));

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("baseline", root.GetProperty("baseline").GetString());
        var models = root.GetProperty("models");
        Assert.Equal(3, models.GetArrayLength());
        for (var m = 0; m < report.Models.Count; m++)
        {
            var model = models[m];
            Assert.Equal(report.Models[m].ModelId, model.GetProperty("model_id").GetString());
            for (var b = 0; b < report.Models[m].Benchmarks.Count; b++)
            {
                var expected = report.Models[m].Benchmarks[b];
                var actual = model.GetProperty("benchmarks")[b];
                Assert.Equal(expected.Benchmark, actual.GetProperty("benchmark").GetString());
                Assert.Equal(expected.DatasetSha256, actual.GetProperty("dataset_sha256").GetString());
                foreach (var (name, value) in expected.Metrics)
                    Assert.Equal(value, actual.GetProperty("metrics").GetProperty(name).GetDouble());
            }
            var paired = model.GetProperty("paired");
            Assert.Equal(report.Models[m].Paired!.GapInterval.Low, paired.GetProperty("gap_interval").GetProperty("low").GetDouble());
            Assert.Equal(report.Models[m].Paired!.PerPair[5].Entropies[1], paired.GetProperty("per_pair")[5].GetProperty("entropies")[1].GetDouble());
        }
        var gee = root.GetProperty("comparisons")[1];
        Assert.Equal("gee", gee.GetProperty("model").GetString());
        Assert.Equal(0.45 - 0.35, gee.GetProperty("deltas").GetProperty("gsm8k").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(1 - 0.035 / 0.405, gee.GetProperty("gap_reduction").GetDouble(), 9);
        Assert.Equal(15, root.GetProperty("seeds").GetProperty("paired").GetInt64());
        Assert.Equal("gsmsha", root.GetProperty("datasets").GetProperty("gsm8k_test.jsonl").GetString());
        var points = root.GetProperty("training_runs")[1].GetProperty("points");
        Assert.Equal(10, points.GetArrayLength());
        Assert.Equal(0.1 / 3, points[2].GetProperty("entropy_gap").GetDouble(), 12);
        Assert.Equal(1.9 - 0.04 * 3, points[2].GetProperty("group_entropies").GetProperty("female").GetDouble(), 12);
        Assert.True(DateTimeOffset.Parse(root.GetProperty("created_utc").GetString()!, CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("tool_version").GetString()));
    }

    [Fact]
    public void Report_md_has_one_column_per_model_with_deltas()
    {
        var (_, files) = WriteReport();
        var lines = File.ReadAllLines(files.Markdown);
        var headers = lines.Where(l => l.StartsWith("| metric |", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, headers.Count); // paired (detailed), perplexity, gsm8k
        Assert.All(headers, h => Assert.Equal("| metric | baseline | em | gee |", h));
        foreach (var header in headers)
        {
            var table = lines.SkipWhile(l => l != header).TakeWhile(l => l.StartsWith('|')).ToList();
            Assert.True(table.Count > 2);
            Assert.All(table, row => Assert.Equal(5, row.Count(c => c == '|')));
        }

        // Hand-computed from the fixture: H_male = male + 0.025, H_female = female + 0.02, so the gaps are
        // 2.025 − 1.62 = 0.405 (baseline), 0.205 (em), 1.475 − 1.44 = 0.035 (gee).
        var gap = lines.First(l => l.StartsWith("| gap |", StringComparison.Ordinal));
        Assert.Equal("| gap | 0.4050 | 0.2050 (−0.2000) | 0.0350 (−0.3700) |", gap);
        Assert.Contains("| accuracy | 0.3500 | 0.4000 (+0.0500) | 0.4500 (+0.1000) |", lines);
        Assert.Contains(lines, l => l.StartsWith("| gap reduction vs baseline | — | 0.4938 | 0.9136 |", StringComparison.Ordinal));
        Assert.Contains("![group_entropy](group_entropy.png)", lines);
    }

    [Fact]
    public void Plots_are_real_pngs()
    {
        var (_, files) = WriteReport();
        Assert.Equal(
            [ReportPlots.GroupEntropyFile, ReportPlots.GapFile, ReportPlots.TrainingLossFile, ReportPlots.TrainingGapFile,
             ReportPlots.TrainingGroupEntropyFile, ReportPlots.TrainingLambdaFile],
            files.Plots.Select(Path.GetFileName));
        foreach (var plot in files.Plots)
        {
            var bytes = File.ReadAllBytes(plot);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
            Assert.Equal((800, 500), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
            Assert.True(bytes.Length > 10_000, $"{plot} has only {bytes.Length} bytes");
        }
    }

    [Fact]
    public void A_report_without_paired_results_or_runs_writes_no_plots()
    {
        var model = new ModelEvaluation("m", "/m", "id", [new BenchmarkResult("perplexity", new Dictionary<string, double> { ["perplexity"] = 3 }, 1, "s")]);
        var files = ReportWriter.Write(Path.Combine(_dir, "bare"), EvaluationReport.Create([model], null, new Dictionary<string, long>(), new Dictionary<string, string>()));
        Assert.Empty(files.Plots);
        Assert.Contains("| perplexity | 3 |", File.ReadAllLines(files.Markdown));
    }

    [Fact]
    public void Bad_reports_are_rejected()
    {
        var model = new ModelEvaluation("m", "/m", "id", []);
        var seeds = new Dictionary<string, long>();
        var data = new Dictionary<string, string>();
        Assert.Contains("baseline 'x'", Assert.Throws<InvalidInputException>(() => EvaluationReport.Create([model], "x", seeds, data)).Message);
        Assert.Contains("'m' is used twice", Assert.Throws<InvalidInputException>(() => EvaluationReport.Create([model, model], null, seeds, data)).Message);
        Assert.Throws<InvalidInputException>(() => EvaluationReport.Create([], null, seeds, data));
    }
}
