namespace OneShotGee.Evaluation.Reports;

/// <summary>The files <see cref="ReportWriter.Write"/> produced.</summary>
public sealed record ReportFiles(string Json, string Markdown, IReadOnlyList<string> Plots);

/// <summary>Writes a report directory: report.json, report.md and the PNG plots (see <see cref="ReportPlots"/>).</summary>
public static class ReportWriter
{
    public const string JsonFile = "report.json";
    public const string MarkdownFile = "report.md";

    public static ReportFiles Write(string directory, EvaluationReport report)
    {
        Directory.CreateDirectory(directory);
        var plots = ReportPlots.Write(directory, report);
        var json = Path.Combine(directory, JsonFile);
        File.WriteAllText(json, ReportJson.Serialize(report));
        var markdown = Path.Combine(directory, MarkdownFile);
        File.WriteAllText(markdown, ReportMarkdown.Render(report, plots));
        return new ReportFiles(json, markdown, plots);
    }
}
