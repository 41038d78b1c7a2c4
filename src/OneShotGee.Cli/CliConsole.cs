using System.Text.Json;
using OneShotGee.Core;
using Spectre.Console;

namespace OneShotGee.Cli;

/// <summary>
/// Where a command writes: results (JSON or tables) to <see cref="Output"/>, progress and errors to
/// <see cref="Error"/>, so that <c>--json</c> output stays machine-readable.
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error)
{
    // The JSON shapes printed by --json are a contract with scripts: snake_case names, as the issue specifies.
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Rich rendering (tables, progress) on the error stream, plain when redirected.</summary>
    public IAnsiConsole Status { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(error),
    });

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>
    /// Runs long work with its progress messages shown: a live status line in a terminal, plain lines otherwise.
    /// </summary>
    public T WithProgress<T>(string title, Func<IProgress<string>, T> work)
    {
        if (!Status.Profile.Capabilities.Interactive)
            return work(new SynchronousProgress<string>(message => Error.WriteLine($"{title}: {message}")));
        return Status.Status().Start(title, context =>
            work(new SynchronousProgress<string>(message => context.Status($"{title}: {Markup.Escape(message)}"))));
    }

    /// <summary>
    /// Runs work made of <paramref name="total"/> units whose progress messages say when a unit begins
    /// (<paramref name="begins"/>): in a terminal a bar of finished units with elapsed time and ETA, captioned
    /// "title [k/N] message"; otherwise that caption as one plain line per message.
    /// </summary>
    public T WithProgressBar<T>(string title, int total, Func<string, bool> begins, Func<IProgress<string>, T> work)
    {
        var begun = 0;
        string Caption(string message)
        {
            if (begins(message)) begun = Math.Min(begun + 1, total);
            return $"{title} [{begun}/{total}] {message}";
        }
        if (!Status.Profile.Capabilities.Interactive)
            return work(new SynchronousProgress<string>(message => Error.WriteLine(Caption(message))));
        return Status.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var bar = context.AddTask(title, maxValue: total);
                var result = work(new SynchronousProgress<string>(message =>
                {
                    bar.Description = Markup.Escape(Caption(message));
                    bar.Value = Math.Max(begun - 1, 0);
                }));
                bar.Value = total;
                return result;
            });
    }

    /// <summary>Runs a command body and maps failures to exit codes with a one-line message.</summary>
    public async Task<int> RunAsync(Func<Task> body)
    {
        try
        {
            await body();
            return ExitCodes.Success;
        }
        catch (InvalidInputException e)
        {
            await Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await Error.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            await Error.WriteLineAsync($"failed: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
