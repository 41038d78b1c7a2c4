using OneShotGee.Evaluation.Paired;
using ScottPlot;

namespace OneShotGee.Evaluation.Reports;

/// <summary>
/// The report's PNG plots (ScottPlot 5): H per group per model (grouped bars), the gap per model with its bootstrap
/// interval, and a run's training curves (loss, entropy gap, H per group, λ over steps). A plot whose data the
/// report lacks is not written. The paired plots are drawn per attribute, titled with its name: the first attribute's
/// as <c>group_entropy.png</c> and <c>entropy_gap.png</c>, any other's with <c>_{attribute}</c> before the extension.
/// </summary>
public static class ReportPlots
{
    public const string GroupEntropyFile = "group_entropy.png";
    public const string GapFile = "entropy_gap.png";
    public const string TrainingLossFile = "training_loss.png";
    public const string TrainingGapFile = "training_entropy_gap.png";
    public const string TrainingGroupEntropyFile = "training_group_entropy.png";
    public const string TrainingLambdaFile = "training_lambda.png";

    const int Width = 800, Height = 500;
    static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>Writes the plots into <paramref name="directory"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, EvaluationReport report)
    {
        var written = new List<string>();
        var byAttribute = report.Models.Where(m => m.Paired is not null).Select(m => (m.Name, Result: m.Paired!))
            .GroupBy(m => m.Result.Attribute?.LexiconId).ToList();
        for (var a = 0; a < byAttribute.Count; a++)
        {
            var attribute = byAttribute[a].First().Result.Attribute;
            var suffix = a == 0 ? "" : "_" + FileNamePart(attribute?.Lexicon ?? "unnamed");
            written.Add(GroupEntropy(Path.Combine(directory, Suffixed(GroupEntropyFile, suffix)), [.. byAttribute[a]], attribute));
            written.Add(Gap(Path.Combine(directory, Suffixed(GapFile, suffix)), [.. byAttribute[a]], attribute));
        }
        var runs = report.TrainingRuns;
        if (runs.Count > 0)
        {
            written.Add(Curves(Path.Combine(directory, TrainingLossFile), "Training loss", "loss", runs, p => p.Loss));
            written.Add(Curves(Path.Combine(directory, TrainingGapFile), "Training entropy gap", "max H_g − min H_g (nats)", runs, p => p.EntropyGap));
            written.Add(GroupCurves(Path.Combine(directory, TrainingGroupEntropyFile), runs, TrainedAttribute(report)));
            written.Add(Curves(Path.Combine(directory, TrainingLambdaFile), "Penalty weight λ", "λ", runs, p => p.Lambda));
        }
        return written;
    }

    static string Suffixed(string file, string suffix) => Path.GetFileNameWithoutExtension(file) + suffix + Path.GetExtension(file);

    static string FileNamePart(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' ? c : '_'));

    /// <summary>" of {attribute}" for a title, or nothing when the groups have no attribute name.</summary>
    static string Of(AttributeGroups? attribute) =>
        attribute is null ? "" : attribute.Lexicon == attribute.Name ? $" of {attribute.Name}" : $" of {attribute.Name} ({attribute.Lexicon})";

    /// <summary>The attribute of the training curves' groups: the report's one attribute when it holds every group trained on.</summary>
    static AttributeGroups? TrainedAttribute(EvaluationReport report) =>
        report.Attributes is [var only] && report.TrainingRuns.SelectMany(r => r.Points).SelectMany(p => p.GroupEntropies.Keys).All(only.Groups.Contains)
            ? only : null;

    static string GroupEntropy(string path, IReadOnlyList<(string Name, PairedEntropyResult Result)> models, AttributeGroups? attribute)
    {
        var plot = new Plot();
        var groups = models.SelectMany(m => m.Result.Groups).Distinct().ToArray();
        var width = 0.8 / models.Count;
        for (var m = 0; m < models.Count; m++)
        {
            var bars = groups.Select((group, g) => new Bar
            {
                Position = g + (m - (models.Count - 1) / 2.0) * width,
                Value = models[m].Result.GroupEntropies.GetValueOrDefault(group, double.NaN),
                Size = width * 0.9,
                FillColor = Palette.GetColor(m),
            }).ToList();
            plot.Add.Bars(bars).LegendText = models[m].Name;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, groups.Length).Select(g => (double)g)], groups);
        if (groups.Length > 4) // religion's ten group names overlap when written level
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = 90;
        }
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Mean generated-token entropy per group{Of(attribute)}");
        plot.XLabel(attribute is null ? "group" : $"group of {attribute.Name} (lexicon {attribute.LexiconId})");
        plot.YLabel("H (nats)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
        return path;
    }

    static string Gap(string path, IReadOnlyList<(string Name, PairedEntropyResult Result)> models, AttributeGroups? attribute)
    {
        var plot = new Plot();
        for (var m = 0; m < models.Count; m++)
        {
            var r = models[m].Result;
            plot.Add.Bar(new Bar { Position = m, Value = r.Gap, FillColor = Palette.GetColor(m), Size = 0.6 });
        }
        var error = plot.Add.ErrorBar(
            [.. models.Select((_, m) => (double)m)], [.. models.Select(m => m.Result.Gap)],
            [.. models.Select(m => m.Result.GapInterval.High - m.Result.Gap)]);
        error.YErrorNegative = [.. models.Select(m => m.Result.Gap - m.Result.GapInterval.Low)];
        error.Color = Colors.Black;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. models.Select((_, m) => (double)m)], [.. models.Select(m => m.Name)]);
        plot.Axes.Margins(bottom: 0);
        var level = models[0].Result.GapInterval.Level;
        plot.Title($"Entropy gap (max − min over the groups{Of(attribute)}) with {level * 100:0}% bootstrap interval");
        plot.YLabel("gap (nats)");
        plot.SavePng(path, Width, Height);
        return path;
    }

    static string Curves(string path, string title, string yLabel, IReadOnlyList<TrainingRun> runs, Func<TrainingPoint, double?> value)
    {
        var plot = new Plot();
        for (var r = 0; r < runs.Count; r++)
        {
            var points = runs[r].Points.Where(p => value(p) is { } v && double.IsFinite(v)).ToArray();
            if (points.Length == 0) continue;
            var line = plot.Add.ScatterLine(points.Select(p => (double)p.Step).ToArray(), points.Select(p => value(p)!.Value).ToArray(), Palette.GetColor(r));
            line.LegendText = runs[r].Name;
            line.MarkerSize = points.Length <= 50 ? 5 : 0;
        }
        return Finish(plot, path, title, yLabel);
    }

    static string GroupCurves(string path, IReadOnlyList<TrainingRun> runs, AttributeGroups? attribute)
    {
        // One run: a colour per group; several: a colour per run and a line pattern per group.
        var plot = new Plot();
        LinePattern[] patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];
        var groups = runs.SelectMany(r => r.Points.SelectMany(p => p.GroupEntropies.Keys)).Distinct().ToList();
        for (var r = 0; r < runs.Count; r++)
            foreach (var group in groups)
            {
                var points = runs[r].Points.Where(p => p.GroupEntropies.ContainsKey(group)).ToArray();
                if (points.Length == 0) continue;
                var g = groups.IndexOf(group);
                var line = plot.Add.ScatterLine(points.Select(p => (double)p.Step).ToArray(),
                    points.Select(p => p.GroupEntropies[group]).ToArray(), Palette.GetColor(runs.Count == 1 ? g : r));
                line.LinePattern = runs.Count == 1 ? LinePattern.Solid : patterns[g % patterns.Length];
                line.LegendText = runs.Count == 1 ? $"H[{group}]" : $"{runs[r].Name} H[{group}]";
                line.MarkerSize = points.Length <= 50 ? 5 : 0;
            }
        return Finish(plot, path, $"Group entropies{Of(attribute)} during training", "H_g (nats)");
    }

    static string Finish(Plot plot, string path, string title, string yLabel)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
        return path;
    }
}
