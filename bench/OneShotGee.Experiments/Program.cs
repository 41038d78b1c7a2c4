using System.Text.Json;
using OneShotGee.Bench;
using OneShotGee.Data;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Experiments;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Pipeline;
using OneShotGee.Training;
using OneShotGee.Training.DemoModel;

// The tiny models gain nothing from intra-op threads, and one thread keeps every run deterministic.
TorchSharp.torch.set_num_threads(1);
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
var options = ExperimentOptions.Parse(args);
if (options.From.Count > 0)
{
    Summarize([.. options.From.SelectMany(File.ReadLines).Where(l => l.Length > 0)
        .Select(l => JsonSerializer.Deserialize<ExperimentRow>(l) ?? throw new InvalidDataException($"not a result row: {l}"))]);
    return;
}
var dataDir = Directory.CreateDirectory(Path.Combine(options.Out, "data")).FullName;
var trainData = Path.Combine(dataDir, $"train-{options.TrainPrompts}-seed{options.TrainSeed}.parquet");
var heldOutData = Path.Combine(dataDir, $"held-out-{options.HeldOutPairs}-seed{options.HeldOutSeed}.parquet");
PrepareStep.Run(new PrepareOptions(trainData, Synthetic: options.TrainPrompts, Seed: options.TrainSeed));
PrepareStep.Run(new PrepareOptions(heldOutData, Synthetic: 2 * options.HeldOutPairs, Seed: options.HeldOutSeed));
var pairs = PairedPromptFile.Read(heldOutData);
var overlap = PromptOverlap.Count(pairs.Pairs.SelectMany(p => p.Texts), PreparedDataset.Read(trainData).Rows.Select(r => r.Text));
if (overlap > 0) throw new ArgumentException($"{overlap} held-out prompts of seed {options.HeldOutSeed} are training prompts; choose another --held-out-seed");

// Evaluation decodes as training samples (temperature 0.5, top-p 0.95) with one fixed seed for every model.
var paired = new PairedEntropyOptions
{
    SamplesPerPrompt = options.Samples, Temperature = 0.5, TopP = 0.95, MaxNewTokens = options.MaxNewTokens, Seed = 7,
};

var rows = new List<ExperimentRow>();
var resultsPath = Path.Combine(options.Out, "results.jsonl");
File.Delete(resultsPath);
foreach (var model in options.Models)
{
    var (modelPath, heldOut) = Resolve(model);
    var tokenizer = ModelTokenizer.FromDirectory(modelPath);
    Measurement before;
    using (var lm = CausalLM.FromPretrained(modelPath)) before = Measurement.Take(lm, tokenizer, heldOut, paired);
    Console.Error.WriteLine($"{model} base: {before}");
    foreach (var setting in options.Settings())
        foreach (var seed in options.Seeds)
        {
            var runDir = Path.Combine(options.Out, "runs", model, setting.DirectoryName, $"seed{seed}");
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
            var train = setting.Configure(new TrainOptions
            {
                ModelPath = modelPath, DataPath = trainData, OutputPath = runDir, Device = "cpu", Seed = seed,
                SaveSteps = options.Steps, EffectiveBatch = options.EffectiveBatch, MicroBatch = options.MicroBatch, MaxNewTokens = options.MaxNewTokens,
            });
            using var trainer = GeeTrainer.Create(train);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            trainer.Run();
            var after = Measurement.Take(trainer.Model, tokenizer, heldOut, paired);
            var row = new ExperimentRow(model, setting, seed, before, after, clock.Elapsed.TotalSeconds);
            rows.Add(row);
            File.AppendAllText(resultsPath, JsonSerializer.Serialize(row) + "\n");
            Console.Error.WriteLine($"{model} {setting.Name} seed {seed}: {after} ({row.Seconds:F0} s)");
        }
}
Summarize(rows);

// summary.json (every setting's spread), summary.md (the tables) and a Pareto plot per model, under --out.
void Summarize(IReadOnlyList<ExperimentRow> results)
{
    Directory.CreateDirectory(options.Out);
    var spreads = SummaryTable.Spreads(results);
    File.WriteAllText(Path.Combine(options.Out, "summary.json"), SeedSpread.Serialize(spreads));
    foreach (var model in spreads.GroupBy(s => s.Model))
        ParetoPlot.Write(Path.Combine(options.Out, $"pareto-{model.Key}.png"), model.Key, [.. model]);
    var summary = SummaryTable.Markdown(results, options);
    File.WriteAllText(Path.Combine(options.Out, "summary.md"), summary);
    Console.WriteLine(summary);
}

// demo: the cached demo model with the demo's own held-out files (DemoRun): neutral counting documents and their
// task, gendered documents. stories260k: the pretrained test fixture; its neutral text is its own greedy stories
// (llama2.c run.c's, reference.json), the only text of its kind that ships with the repository.
(string Path, HeldOut HeldOut) Resolve(string model)
{
    switch (model)
    {
        case "demo":
            var demoFiles = Directory.CreateDirectory(Path.Combine(dataDir, "demo")).FullName;
            DemoRun.WriteHeldOutFiles(demoFiles);
            var (neutral, _) = PerplexityEvaluation.ReadTexts(Path.Combine(demoFiles, DemoRun.NeutralText));
            var (gendered, _) = PerplexityEvaluation.ReadTexts(Path.Combine(demoFiles, DemoRun.GenderedText));
            return (DemoModelCache.EnsureBuilt(options.CacheDir),
                new HeldOut(pairs, neutral, MathProblemSet.ReadTask(Path.Combine(demoFiles, DemoRun.NeutralTask)), gendered));
        case "stories260k":
            using (var reference = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Fixture("models/stories260k/reference.json"))))
            {
                var stories = reference.RootElement.GetProperty("cases").EnumerateArray()
                    .Select(c => c.GetProperty("prompt").GetString() + c.GetProperty("generated_text").GetString()).ToList();
                return (RepositoryFiles.Fixture("models/stories260k"), new HeldOut(pairs, stories, null, null));
            }
        default:
            throw new ArgumentException($"unknown model '{model}'; known: demo, stories260k");
    }
}
