using System.CommandLine;
using System.Globalization;
using OneShotGee.Core;
using OneShotGee.Modeling.Scoring;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee score</c>: teacher-forced log-probabilities and entropies of a text or of given ids.</summary>
public static class ScoreCommand
{
    sealed record ScoreResult(IReadOnlyList<int> Ids, IReadOnlyList<double> TokenLogprobs, IReadOnlyList<double> Entropies, double SumLogprob);

    public static Command Create(CliConsole console)
    {
        var model = new ModelArguments();
        var text = new Option<string?>("--text", "-t") { Description = "Text to score (encoded with the model's default special tokens)." };
        var ids = new Option<string?>("--ids") { Description = "Comma-separated token ids to score, e.g. 1,403,407." };
        var json = new Option<bool>("--json") { Description = "Print ids, token_logprobs, entropies and sum_logprob as JSON." };
        var command = new Command("score",
            "Score a sequence by teacher forcing: token_logprobs[k] = log p(ids[k+1]), entropies[k] at position k (nats).")
        {
            text, ids, json,
        };
        model.AddTo(command);

        command.SetAction((parse, _) => console.RunAsync(() =>
        {
            var sequence = (parse.GetValue(text), parse.GetValue(ids)) switch
            {
                ({ } t, null) => model.LoadTokenizer(parse).Encode(t),
                (null, { } list) => ParseIds(list),
                _ => throw new InvalidInputException("give exactly one of --text and --ids"),
            };
            if (sequence.Count < 2) throw new InvalidInputException($"scoring needs at least 2 tokens, got {sequence.Count}");
            using var lm = model.LoadModel(parse);
            var score = TokenScorer.Score(lm, [sequence])[0];

            if (parse.GetValue(json))
                console.WriteJson(new ScoreResult(score.Ids, score.TokenLogprobs, score.Entropies, score.SumLogprob));
            else
                console.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{score.Ids.Count} tokens, sum log p = {score.SumLogprob:F4}, perplexity = {Math.Exp(-score.SumLogprob / score.TokenLogprobs.Count):F3}"));
            return Task.CompletedTask;
        }));
        return command;
    }

    static IReadOnlyList<int> ParseIds(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidInputException($"--ids: '{id}' is not a non-negative integer token id"))
        .ToList();
}
