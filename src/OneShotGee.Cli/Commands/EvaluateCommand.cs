using System.CommandLine;
using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Modeling.Loading;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee evaluate</c>: bias and retention metrics for one or more models, side by side.</summary>
public static class EvaluateCommand
{
    static readonly PairedEntropyOptions PairedDefaults = new();

    public static Command Create(CliConsole console)
    {
        var model = new Option<DirectoryInfo?>("--model", "-m") { Description = "The model to evaluate (reported as 'model')." };
        var baseline = new Option<DirectoryInfo?>("--baseline") { Description = "A baseline model; deltas and the gap reduction are against it." };
        var models = new Option<string?>("--models") { Description = "More models as name=DIR,name=DIR (e.g. em=runs/em/final,gee=runs/gee/final); a DIR may be a LoRA adapter." };
        var suite = new Option<EvaluationSuite>("--suite")
        {
            Description = $"full: every item of every benchmark (default, unless --limit); quick: the same as --limit {EvaluationOptions.QuickItems}.",
            DefaultValueFactory = _ => EvaluationSuite.Full,
        };
        var limit = new Option<int?>("--limit")
        {
            Description = "Score a seeded random subset of at most N items of each benchmark (WinoBias: per type, StereoSet: per split), " +
                          "the same items for every model; reports say 'subset N of M, seed S'. Default: every item.",
        };
        var limitSeed = new Option<int?>("--limit-seed") { Description = "Seed of the --limit draw (default: --seed)." };
        var benchmarks = new Option<string?>("--benchmarks")
        {
            Description = $"Comma-separated: {string.Join(",", EvaluationOptions.KnownBenchmarks)} " +
                          "(default: paired, plus every likelihood benchmark when --data-dir is given).",
        };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Bias benchmark files: crows_pairs/, winobias/, winogender/, stereoset/, bbq/." };
        var pairedPrompts = new Option<FileInfo?>("--paired-prompts") { Description = "Paired prompts (pair_id or set_id, group, text; one prompt per group, any number of groups) instead of the attribute's built-in templates." };
        var attribute = new Option<string?>("--attribute")
        {
            Description = $"The attribute the paired gap measures: a built-in lexicon ({string.Join(", ", Lexicon.BuiltInAttributes)}) or a lexicon JSON file, as for prepare. " +
                          "Without --paired-prompts its built-in templates are measured (gender: Winogender-style, the default; others: generated from the lexicon's slots); " +
                          "with them, their groups must be the attribute's. Reports name the attribute and its groups.",
        };
        var heldOut = new Option<FileInfo?>("--held-out")
        {
            Description = "Held-out texts whose perplexity should not rise — text the model must keep (.txt lines, or a JSONL/Parquet 'text' column).",
        };
        var genderedText = new Option<FileInfo?>("--gendered-text")
        {
            Description = "Texts that carry the bias (same formats), for gendered-perplexity: reported apart, since closing a gap must change it.",
        };
        var task = new Option<FileInfo?>("--task") { Description = "Your own short-answer task: JSONL (question, answer); questions are sent as they are." };
        var gsm8k = new Option<FileInfo?>("--gsm8k") { Description = "GSM8K JSONL (question, answer) for task accuracy." };
        var math500 = new Option<FileInfo?>("--math500") { Description = "MATH500 JSONL (problem, answer) for task accuracy." };
        var samples = new Option<int>("--samples") { Description = "Sampled responses per paired prompt.", DefaultValueFactory = _ => PairedDefaults.SamplesPerPrompt };
        var greedy = new Option<bool>("--greedy") { Description = "Greedy responses for the paired gap instead of sampling." };
        var temperature = new Option<double>("--temperature")
        {
            Description = "Sampling temperature of the paired gap's responses (>= 0; 0 = greedy).", DefaultValueFactory = _ => PairedDefaults.Temperature,
        };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling of the paired gap's responses, in (0, 1].", DefaultValueFactory = _ => PairedDefaults.TopP };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Response length for the paired gap.", DefaultValueFactory = _ => PairedDefaults.MaxNewTokens };
        var taskMaxNewTokens = new Option<int?>("--task-max-new-tokens")
        {
            Description = $"Response length for task, GSM8K and MATH500 (default: {EvaluationOptions.DefaultTaskMaxNewTokens} for task, " +
                          $"{EvaluationOptions.Gsm8kMaxNewTokens} for GSM8K, {EvaluationOptions.Math500MaxNewTokens} for MATH500).",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of sampling, bootstrap and permutation test.", DefaultValueFactory = _ => PairedDefaults.Seed };
        var chatTemplate = new Option<string>("--chat-template") { Description = "auto, none, chatml, llama3 or llama2.", DefaultValueFactory = _ => "auto" };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var dtype = new Option<string>("--dtype") { Description = "auto, float32, bfloat16 or float16.", DefaultValueFactory = _ => "auto" };
        var training = new Option<string?>("--training-metrics") { Description = "Training curves to plot, as name=metrics.jsonl,…" };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Write report.json, report.md and PNG plots here." };
        var json = new Option<bool>("--json") { Description = "Print report.json." };

        var command = new Command("evaluate", "Measure bias (paired entropy gap; CrowS-Pairs, StereoSet, BBQ, and WinoBias and Winogender as likelihood proxies) and retention.")
        {
            model, baseline, models, suite, limit, limitSeed, benchmarks, dataDir, pairedPrompts, attribute, heldOut, genderedText, task, gsm8k, math500, samples, greedy,
            temperature, topP, maxNewTokens, taskMaxNewTokens, seed, chatTemplate, device, dtype, training, output, json,
        };
        command.SetAction((parse, cancel) => console.RunAsync(() =>
        {
            var data = parse.GetValue(dataDir)?.FullName;
            var options = new EvaluationOptions
            {
                Benchmarks = parse.GetValue(benchmarks) is { } list
                    ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    : data is null ? [EvaluationOptions.Paired] : [EvaluationOptions.Paired, .. LikelihoodBenchmarks.All.Select(b => b.Id)],
                Suite = parse.GetValue(suite),
                Limit = parse.GetValue(limit),
                LimitSeed = parse.GetValue(limitSeed),
                TaskMaxNewTokens = parse.GetValue(taskMaxNewTokens),
                DataDirectory = data,
                PairedPrompts = parse.GetValue(pairedPrompts)?.FullName,
                Attribute = parse.GetValue(attribute),
                HeldOutText = parse.GetValue(heldOut)?.FullName,
                GenderedText = parse.GetValue(genderedText)?.FullName,
                TaskPath = parse.GetValue(task)?.FullName,
                Gsm8kPath = parse.GetValue(gsm8k)?.FullName,
                Math500Path = parse.GetValue(math500)?.FullName,
                PairedOptions = new PairedEntropyOptions
                {
                    SamplesPerPrompt = parse.GetValue(samples),
                    Greedy = parse.GetValue(greedy),
                    Temperature = parse.GetValue(temperature),
                    TopP = parse.GetValue(topP),
                    MaxNewTokens = parse.GetValue(maxNewTokens),
                    Seed = parse.GetValue(seed),
                },
                ChatTemplate = parse.GetValue(chatTemplate)!,
                Device = parse.GetValue(device)!,
                Dtype = parse.GetValue(dtype)!,
            }.Validated();
            var named = ModelsToEvaluate(parse.GetValue(model), parse.GetValue(baseline), parse.GetValue(models));
            var trainingRuns = NamedPaths(parse.GetValue(training), "--training-metrics").Select(t => TrainingRun.Read(t.Name, t.Path)).ToList();

            var sources = named.Select(m => (m.Name, Source: Resolved(m.Name, m.Path))).ToList();
            // ModelEvaluator reports once as each benchmark begins: the bar counts benchmarks over all models.
            var evaluations = console.WithProgressBar("Evaluating", sources.Count * options.Benchmarks.Count, _ => true, progress =>
                sources.Select(m => ModelEvaluator.Evaluate(m.Name, m.Source, options, progress, cancel)).ToList());
            var seeds = new Dictionary<string, long> { ["paired"] = options.PairedOptions.Seed };
            if (options.ItemLimit is { } drawn) seeds["limit"] = drawn.Seed;
            var report = EvaluationReport.Create(evaluations, parse.GetValue(baseline) is null ? null : "baseline", seeds,
                evaluations.SelectMany(e => e.Benchmarks).DistinctBy(b => b.Benchmark).ToDictionary(b => b.Benchmark, b => b.DatasetSha256),
                trainingRuns);

            if (parse.GetValue(output) is { } outDir)
            {
                var files = ReportWriter.Write(outDir.FullName, report);
                console.Error.WriteLine($"report -> {files.Markdown}");
            }
            if (parse.GetValue(json)) console.Output.WriteLine(ReportJson.Serialize(report));
            else console.Output.WriteLine(ReportMarkdown.Render(report));
            return Task.CompletedTask;
        }));
        return command;
    }

    static List<(string Name, string Path)> ModelsToEvaluate(DirectoryInfo? model, DirectoryInfo? baseline, string? models)
    {
        var named = new List<(string Name, string Path)>();
        if (baseline is not null) named.Add(("baseline", baseline.FullName));
        if (model is not null) named.Add(("model", model.FullName));
        named.AddRange(NamedPaths(models, "--models"));
        if (named.Count == 0) throw new InvalidInputException("give a model to evaluate: --model DIR (and optionally --baseline DIR, --models name=DIR,…)");
        return named;
    }

    // Every model is checked before any is evaluated, so a bad last model fails in seconds, not after the first ones ran.
    static ModelSource Resolved(string name, string path)
    {
        try { return ModelSource.Resolve(path).Validated(); }
        catch (InvalidInputException e) { throw new InvalidInputException($"model '{name}': {e.Message}", e); }
    }

    static IEnumerable<(string Name, string Path)> NamedPaths(string? list, string option) =>
        (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(entry =>
            entry.Split('=', 2) is [var name, var path] && name.Length > 0 && path.Length > 0
                ? (name, Path.GetFullPath(path))
                : throw new InvalidInputException($"{option}: '{entry}' is not name=PATH"));
}
