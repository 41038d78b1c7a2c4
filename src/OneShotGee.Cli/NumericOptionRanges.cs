using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OneShotGee.Cli;

/// <summary>
/// The range of every numeric option of every command, by name: an option name means the same thing in every command
/// that has it. Checked when the command line is parsed, so NaN, ±∞ or a value out of range is exit 2 naming the option
/// before any work starts (issue 13: <c>--temperature NaN</c> used to be accepted). A library may still refuse a value
/// that only it can judge (e.g. a micro-batch that does not divide the effective batch).
/// </summary>
public static class NumericOptionRanges
{
    sealed record Range(double Min, bool MinOpen, double Max = double.PositiveInfinity, bool MaxOpen = true)
    {
        public bool Contains(double value) =>
            (MinOpen ? value > Min : value >= Min) && (MaxOpen ? value < Max : value <= Max);

        public override string ToString() => double.IsPositiveInfinity(Max)
            ? string.Create(CultureInfo.InvariantCulture, $"{(MinOpen ? ">" : ">=")} {Min}")
            : string.Create(CultureInfo.InvariantCulture, $"in {(MinOpen ? "(" : "[")}{Min}, {Max}{(MaxOpen ? ")" : "]")}");
    }

    static readonly Range AtLeastOne = new(1, MinOpen: false);
    static readonly Range Positive = new(0, MinOpen: true);
    static readonly Range NonNegative = new(0, MinOpen: false);
    static readonly Range AnyFinite = new(double.NegativeInfinity, MinOpen: true);

    static readonly Dictionary<string, Range> Ranges = new()
    {
        // sampling (generate, train, evaluate); temperature 0 is greedy in generate
        ["--temperature"] = NonNegative,
        ["--top-p"] = new(0, MinOpen: true, 1, MaxOpen: false),
        ["--top-k"] = NonNegative,
        ["--repetition-penalty"] = Positive,
        ["--max-new-tokens"] = AtLeastOne,
        ["--task-max-new-tokens"] = AtLeastOne,
        ["--num-return-sequences"] = AtLeastOne,
        ["--samples"] = AtLeastOne,
        ["--seed"] = AnyFinite,
        ["--limit-seed"] = AnyFinite,
        ["--limit"] = AtLeastOne,
        // training
        ["--effective-batch"] = AtLeastOne,
        ["--micro-batch"] = AtLeastOne,
        ["--generation-batch-size"] = AtLeastOne,
        ["--tau"] = Positive,
        ["--lambda"] = NonNegative,
        ["--kl-coef"] = NonNegative,
        ["--lr"] = Positive,
        ["--weight-decay"] = NonNegative,
        ["--max-grad-norm"] = Positive,
        ["--max-steps"] = AtLeastOne,
        ["--save-steps"] = AtLeastOne,
        ["--save-total-limit"] = AtLeastOne,
        ["--lora-rank"] = AtLeastOne,
        ["--lora-alpha"] = Positive,
        ["--lora-dropout"] = new(0, MinOpen: false, 1, MaxOpen: true),
        ["--memory-budget"] = Positive,
        // prepare
        ["--replicate"] = AtLeastOne,
        ["--target-size"] = AtLeastOne,
        ["--synthetic"] = AtLeastOne,
    };

    static readonly HashSet<Type> NumericTypes =
        [typeof(int), typeof(long), typeof(double), typeof(float), typeof(int?), typeof(long?), typeof(double?), typeof(float?)];

    /// <summary>Adds the range check to every numeric option under <paramref name="root"/>. An option missing from the
    /// table above is still refused NaN and ±∞ (and <see cref="Unranged"/> names it, for the tests).</summary>
    public static TCommand Apply<TCommand>(TCommand root) where TCommand : Command
    {
        foreach (var (_, option) in NumericOptions(root))
        {
            var range = Ranges.GetValueOrDefault(option.Name) ?? AnyFinite;
            option.Validators.Add(result => Check(result, range));
        }
        return root;
    }

    /// <summary>"command --option" for each numeric option that has no range of its own.</summary>
    public static IEnumerable<string> Unranged(Command root) =>
        NumericOptions(root).Where(o => !Ranges.ContainsKey(o.Option.Name)).Select(o => $"{o.Command.Name} {o.Option.Name}");

    static IEnumerable<(Command Command, Option Option)> NumericOptions(Command root) =>
        Commands(root).SelectMany(c => c.Options.Where(o => NumericTypes.Contains(o.ValueType)).Select(o => (c, o)));

    static IEnumerable<Command> Commands(Command command) => command.Subcommands.SelectMany(Commands).Prepend(command);

    // The option's own parser has already turned the token into its type (an int option never sees "NaN"); parsing the
    // text again as a double, in the culture that parser used, judges every numeric type alike.
    static void Check(OptionResult result, Range range)
    {
        foreach (var token in result.Tokens)
        {
            if (!double.TryParse(token.Value, NumberStyles.Float, CultureInfo.CurrentCulture, out var value)
                && !double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) continue;
            if (!double.IsFinite(value))
                result.AddError($"{result.Option.Name} must be a finite number, got {token.Value}");
            else if (!range.Contains(value))
                result.AddError($"{result.Option.Name} must be {range}, got {token.Value}");
        }
    }
}
