using System.CommandLine;
using System.Globalization;
using OneShotGee.Core;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee generate</c>: continue one prompt with a model (KV-cache decoding), N times in one batch.</summary>
public static class GenerateCommand
{
    sealed record GenerateResult(
        IReadOnlyList<int> PromptIds, IReadOnlyList<int> GeneratedIds, string Text, string StopReason, IReadOnlyList<double> Entropies);

    public static Command Create(CliConsole console)
    {
        var model = new ModelArguments();
        var prompt = new Option<string>("--prompt", "-p") { Description = "The prompt text.", Required = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature; 0 = greedy.", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass (1 = off).", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (0 = off).", DefaultValueFactory = _ => 0 };
        var repetitionPenalty = new Option<double>("--repetition-penalty") { Description = "HF repetition penalty (1 = off).", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<long>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 15 };
        var numReturnSequences = new Option<int>("--num-return-sequences", "-n")
        {
            Description = "Continuations of the prompt, decoded together in one batch (--json then prints a list).",
            DefaultValueFactory = _ => 1,
        };
        var chatTemplate = new Option<string>("--chat-template")
        {
            Description = "auto (from tokenizer_config.json), none, chatml, llama3 or llama2.",
            DefaultValueFactory = _ => "auto",
        };
        chatTemplate.AcceptOnlyFromAmong([.. ChatTemplate.Names]);
        var json = new Option<bool>("--json") { Description = "Print prompt/generated ids, text, stop reason and entropies as JSON." };
        var command = new Command("generate", "Generate a continuation of a prompt.")
        {
            prompt, maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, numReturnSequences, chatTemplate, json,
        };
        model.AddTo(command);

        command.SetAction((parse, _) => console.RunAsync(() =>
        {
            var tokenizer = model.LoadTokenizer(parse);
            var encoder = PromptEncoder.For(tokenizer, parse.GetValue(chatTemplate)!);
            var promptIds = encoder.Encode(parse.GetValue(prompt)!);
            var t = parse.GetValue(temperature);
            var options = new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens),
                DoSample = t > 0,
                Temperature = t > 0 ? t : 1.0,
                TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK),
                RepetitionPenalty = parse.GetValue(repetitionPenalty),
                EosTokenIds = encoder.StopIds,
                Seed = parse.GetValue(seed),
                ReturnEntropies = true,
            };
            var count = parse.GetValue(numReturnSequences);
            if (count < 1) throw new InvalidInputException($"--num-return-sequences must be at least 1, got {count}");
            using var lm = model.LoadModel(parse);
            var results = TokenGenerator.Generate(lm, [.. Enumerable.Repeat(promptIds, count)], options)
                .Select(s => new GenerateResult(s.PromptIds, s.GeneratedIds, tokenizer.Decode(s.ContentIds, skipSpecialTokens: true),
                    s.StopReason.ToString().ToLowerInvariant(), s.Entropies ?? []))
                .ToList();

            if (parse.GetValue(json))
            {
                if (count == 1) console.WriteJson(results[0]);
                else console.WriteJson(results);
            }
            else
                foreach (var result in results)
                {
                    console.Output.WriteLine(result.Text);
                    console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{result.GeneratedIds.Count} tokens, stop: {result.StopReason}, mean entropy {result.Entropies.DefaultIfEmpty().Average():F4} nats"));
                }
            return Task.CompletedTask;
        }));
        return command;
    }
}
