using System.CommandLine;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee tokenize</c>: the ids a model's tokenizer gives a text, with its default special tokens.</summary>
public static class TokenizeCommand
{
    sealed record TokenizeResult(IReadOnlyList<int> Ids);

    public static Command Create(CliConsole console)
    {
        var model = new ModelArguments();
        var text = new Option<string>("--text", "-t") { Description = "Text to tokenize.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print {\"ids\": [...]}." };
        var command = new Command("tokenize", "Encode a text with a model's tokenizer.") { text, json };
        model.AddTo(command);

        command.SetAction((parse, _) => console.RunAsync(() =>
        {
            var ids = model.LoadTokenizer(parse).Encode(parse.GetValue(text)!);
            if (parse.GetValue(json)) console.WriteJson(new TokenizeResult(ids));
            else console.Output.WriteLine(string.Join(' ', ids));
            return Task.CompletedTask;
        }));
        return command;
    }
}
