using System.Globalization;
using OneShotGee.Core;
using OneShotGee.Core.Telemetry;

namespace OneShotGee.Data;

/// <summary>
/// Data preparation for GEE: read → detect groups → (augment) → balance → replicate → write Parquet.
/// Every check runs before the output is written, so a failed run leaves no file and an existing one untouched.
/// </summary>
public static class PrepareStep
{
    /// <exception cref="InvalidInputException">Bad options, input, lexicon, or a group with no rows.</exception>
    public static PrepareSummary Run(PrepareOptions options, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        using var span = GeeTelemetry.Source.StartActivity("data.prepare");
        var lexicon = LoadLexicon(options);
        var detector = new GroupDetector(lexicon);
        progress?.Report($"lexicon {lexicon.Id}: groups {string.Join(", ", lexicon.Groups)}");

        var (inputRows, detected, rows) = options.InputPath is { } input
            ? FromInput(options, input, detector, progress, ct)
            : (0, lexicon.Groups.Append(GroupDetector.Neutral).ToDictionary(g => g, _ => 0),
               new SyntheticPrompts(detector, new CounterfactualAugmenter(lexicon)).Generate(options.Synthetic!.Value, options.Seed));
        var augmented = rows.Count(r => r.Source is CounterfactualAugmenter.Source or OneShotVariants.TemplateSource or SyntheticPrompts.Source);

        var balanced = new GroupBalancer(lexicon.Groups, options.Seed).Balance(rows, options.TargetSize);
        progress?.Report($"balanced {rows.Count} rows to {balanced.Count}: {Describe(CountPerGroup(balanced, lexicon.Groups, 1))}");

        ct.ThrowIfCancellationRequested();
        var written = PreparedDatasetWriter.Write(options.OutputPath, Replicated(balanced, options.Replicate), ct: ct);
        progress?.Report($"wrote {written} rows to {options.OutputPath}");

        var summary = new PrepareSummary(options.InputPath, inputRows, detected, augmented,
            DroppedRows: inputRows + augmented - balanced.Count, options.Replicate,
            CountPerGroup(balanced, lexicon.Groups, options.Replicate), written, lexicon.Id, options.OutputPath, options.Seed);
        DataPrepMeter.Record(detected,
            CountPerGroup(rows, lexicon.Groups, 1), CountPerGroup(balanced, lexicon.Groups, 1), summary.OutputRowsPerGroup);
        return summary;
    }

    static Lexicon LoadLexicon(PrepareOptions options)
    {
        if (options.LexiconPath is null) return Lexicon.Resolve(options.Attribute);
        var lexicon = Lexicon.Load(options.LexiconPath);
        if (lexicon.Attribute != options.Attribute)
            throw new InvalidInputException(
                $"lexicon file '{options.LexiconPath}' is for attribute '{lexicon.Attribute}', but Attribute is '{options.Attribute}'");
        return lexicon;
    }

    static (int InputRows, IReadOnlyDictionary<string, int> Detected, IReadOnlyList<PreparedRow> Rows) FromInput(
        PrepareOptions options, string input, GroupDetector detector, IProgress<string>? progress, CancellationToken ct)
    {
        var texts = TextColumnReader.Read(input, options.TextColumn, ct);
        var source = Path.GetFileName(input);
        progress?.Report($"read {texts.Count} rows of column '{options.TextColumn}' from {input}");

        var detection = detector.Label(options.OneShot ? [texts[0]] : texts, source, ct);
        progress?.Report($"detected {Describe(detection.Counts)}");

        if (options.OneShot)
        {
            var variants = new OneShotVariants(detector, new CounterfactualAugmenter(detector.Lexicon)).Create(texts[0], source);
            return (texts.Count, detection.Counts, variants);
        }
        if (options.Augment == AugmentMode.Counterfactual)
        {
            if (detection.Rows.Count == 0)
                throw new InvalidInputException(
                    $"no row of column '{options.TextColumn}' in '{input}' uses a word of lexicon '{detector.Lexicon.Id}'");
            return (texts.Count, detection.Counts, new CounterfactualAugmenter(detector.Lexicon).Augment(detection.Rows).ToList());
        }
        foreach (var group in detector.Lexicon.Groups)
            if (detection.Counts[group] == 0)
                throw new InvalidInputException(
                    $"no row of column '{options.TextColumn}' in '{input}' is detected as group '{group}' " +
                    $"(detected: {Describe(detection.Counts)}); try Augment = Counterfactual");
        return (texts.Count, detection.Counts, detection.Rows);
    }

    /// <summary>The rows <paramref name="times"/> times over; copies get ids and pair ids suffixed <c>-r{k}</c> so both stay unique.</summary>
    static IEnumerable<PreparedRow> Replicated(IReadOnlyList<PreparedRow> rows, int times)
    {
        if (times == 1)
        {
            foreach (var row in rows) yield return row;
            yield break;
        }
        for (var k = 0; k < times; k++)
        {
            var suffix = "-r" + k.ToString(CultureInfo.InvariantCulture);
            foreach (var row in rows) yield return row with { Id = row.Id + suffix, PairId = row.PairId + suffix };
        }
    }

    static Dictionary<string, long> CountPerGroup(IReadOnlyList<PreparedRow> rows, IReadOnlyList<string> groups, int times)
    {
        var counts = groups.ToDictionary(g => g, _ => 0L);
        foreach (var row in rows) counts[row.Group] += times;
        return counts;
    }

    static string Describe<T>(IReadOnlyDictionary<string, T> counts) => string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));
}
