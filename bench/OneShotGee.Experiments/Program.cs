using System.Text.Json;
using OneShotGee.Bench;
using OneShotGee.Data;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Experiments;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Training;
using OneShotGee.Training.DemoModel;

// The tiny models gain nothing from intra-op threads, and one thread keeps every run deterministic.
TorchSharp.torch.set_num_threads(1);
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
var options = ExperimentOptions.Parse(args);
var dataDir = Directory.CreateDirectory(Path.Combine(options.Out, "data")).FullName;
var trainData = Path.Combine(dataDir, $"train-{options.TrainPrompts}-seed{options.TrainSeed}.parquet");
var heldOutData = Path.Combine(dataDir, $"held-out-{options.HeldOutPairs}-seed{options.HeldOutSeed}.parquet");
PrepareStep.Run(new PrepareOptions(trainData, Synthetic: options.TrainPrompts, Seed: options.TrainSeed));
PrepareStep.Run(new PrepareOptions(heldOutData, Synthetic: 2 * options.HeldOutPairs, Seed: options.HeldOutSeed));
var pairs = PairedPromptFile.Read(heldOutData);

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
    foreach (var method in options.Methods.Select(Method.Named))
        foreach (var seed in options.Seeds)
        {
            var runDir = Path.Combine(options.Out, "runs", model, method.Name, $"seed{seed}");
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
            var train = method.Configure(new TrainOptions
            {
                ModelPath = modelPath, DataPath = trainData, OutputPath = runDir, Device = "cpu", Seed = seed,
                MaxSteps = options.Steps, SaveSteps = options.Steps, EffectiveBatch = options.EffectiveBatch,
                MicroBatch = options.MicroBatch, MaxNewTokens = options.MaxNewTokens, LearningRate = options.LearningRate,
            });
            using var trainer = GeeTrainer.Create(train);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            trainer.Run();
            var after = Measurement.Take(trainer.Model, tokenizer, heldOut, paired);
            var row = new ExperimentRow(model, method.Name, seed, before, after, clock.Elapsed.TotalSeconds);
            rows.Add(row);
            File.AppendAllText(resultsPath, JsonSerializer.Serialize(row) + "\n");
            Console.Error.WriteLine($"{model} {method.Name} seed {seed}: {after} ({row.Seconds:F0} s)");
        }
}
var summary = SummaryTable.Markdown(rows, options);
File.WriteAllText(Path.Combine(options.Out, "summary.md"), summary);
Console.WriteLine(summary);

// demo: the cached demo model, perplexity on held-out demo documents (prompt + planted response);
// stories260k: the pretrained test fixture, perplexity on the held-out prompts (no story text ships with it).
(string Path, HeldOut HeldOut) Resolve(string model)
{
    switch (model)
    {
        case "demo":
            var documents = DemoCorpus.Generate(options.HeldOutPairs, options.HeldOutSeed).Select(d => d.Text).ToList();
            var textFile = Path.Combine(dataDir, $"demo-documents-{options.HeldOutPairs}-seed{options.HeldOutSeed}.txt");
            File.WriteAllLines(textFile, documents);
            var (texts, sha) = PerplexityEvaluation.ReadTexts(textFile);
            return (DemoModelCache.EnsureBuilt(options.CacheDir), new HeldOut(pairs, texts, sha));
        case "stories260k":
            var (prompts, promptSha) = PerplexityEvaluation.ReadTexts(heldOutData);
            return (RepositoryFiles.Fixture("models/stories260k"), new HeldOut(pairs, prompts, promptSha));
        default:
            throw new ArgumentException($"unknown model '{model}'; known: demo, stories260k");
    }
}
