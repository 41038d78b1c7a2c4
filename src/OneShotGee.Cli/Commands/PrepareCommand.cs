using System.CommandLine;
using System.Globalization;
using OneShotGee.Data;
using Spectre.Console;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee prepare</c>: builds a balanced, group-labelled Parquet dataset for GEE training.</summary>
public static class PrepareCommand
{
    const int DefaultSyntheticPrompts = 256;

    public static Command Create(CliConsole console)
    {
        var input = new Option<FileInfo?>("--input", "-i")
        {
            Description = "Parquet or JSONL file of problems. Omit it to generate synthetic prompts (--synthetic).",
        };
        var textColumn = new Option<string>("--text-column")
        {
            Description = "Column holding the problem text (GSM8K uses 'question').",
            DefaultValueFactory = _ => "problem",
        };
        var attribute = new Option<string>("--attribute")
        {
            Description = $"The attribute whose lexicon detects groups: a built-in name ({string.Join(", ", Lexicon.BuiltInAttributes)}) or a lexicon JSON file (src/OneShotGee.Data/Lexicons/README.md).",
            DefaultValueFactory = _ => "gender",
        };
        var lexicon = new Option<FileInfo?>("--lexicon") { Description = "A lexicon file for the attribute --attribute names (older form of --attribute FILE)." };
        var augment = new Option<AugmentMode>("--augment")
        {
            Description = "'counterfactual' adds every detected row's variant in each other group (one pair_id per set).",
            DefaultValueFactory = _ => AugmentMode.None,
        };
        var oneShot = new Option<bool>("--one-shot")
        {
            Description = "Turn the first problem into its balanced gendered variants (One-shot EM style).",
        };
        var replicate = new Option<int>("--replicate")
        {
            Description = "Repeat the balanced rows this many times (One-shot EM trains on one problem replicated 1,280 times).",
            DefaultValueFactory = _ => 1,
        };
        var targetSize = new Option<int?>("--target-size") { Description = "Downsample to this many rows in total." };
        var synthetic = new Option<int?>("--synthetic")
        {
            Description = $"Generate this many balanced gendered math prompts (default {DefaultSyntheticPrompts} when no --input is given).",
        };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Parquet file to write.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed for sampling.", DefaultValueFactory = _ => 15 };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };

        var command = new Command("prepare", "Detect groups, augment and balance a dataset; write it as Parquet.")
        {
            input, textColumn, attribute, lexicon, augment, oneShot, replicate, targetSize, synthetic, output, seed, json,
        };
        command.SetAction((parse, cancel) => console.RunAsync(() =>
        {
            var inputFile = parse.GetValue(input);
            var options = new PrepareOptions(
                OutputPath: parse.GetValue(output)!.FullName,
                InputPath: inputFile?.FullName,
                TextColumn: parse.GetValue(textColumn)!,
                Attribute: parse.GetValue(attribute)!,
                LexiconPath: parse.GetValue(lexicon)?.FullName,
                Augment: parse.GetValue(augment),
                OneShot: parse.GetValue(oneShot),
                Replicate: parse.GetValue(replicate),
                TargetSize: parse.GetValue(targetSize),
                Synthetic: parse.GetValue(synthetic) ?? (inputFile is null ? DefaultSyntheticPrompts : null),
                Seed: parse.GetValue(seed));
            var summary = console.WithProgress("Preparing data", progress => PrepareStep.Run(options, progress, cancel));
            if (parse.GetValue(json)) console.Output.WriteLine(summary.ToJson());
            else WriteTable(console, summary);
            return Task.CompletedTask;
        }));
        return command;
    }

    static void WriteTable(CliConsole console, PrepareSummary summary)
    {
        var table = new Table().AddColumns("group", "detected in input", "written");
        foreach (var group in summary.DetectedRowsPerGroup.Keys.Union(summary.OutputRowsPerGroup.Keys))
            table.AddRow(group,
                summary.DetectedRowsPerGroup.GetValueOrDefault(group).ToString(CultureInfo.InvariantCulture),
                summary.OutputRowsPerGroup.GetValueOrDefault(group).ToString(CultureInfo.InvariantCulture));
        var results = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Output) });
        results.Write(table);
        console.Output.WriteLine(FormattableString.Invariant(
            $"{summary.OutputRows} rows ({summary.AugmentedRows} augmented, {summary.DroppedRows} dropped, lexicon {summary.LexiconId}) -> {summary.OutputPath}"));
    }
}
