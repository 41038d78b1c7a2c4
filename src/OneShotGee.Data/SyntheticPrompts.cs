using System.Globalization;
using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>
/// Templated arithmetic word problems for training without an input dataset: each draw (template, name, numbers
/// from a seeded RNG) gives a male prompt and its counterfactual variants in the other groups, with the same numbers.
/// </summary>
public sealed class SyntheticPrompts(GroupDetector detector, CounterfactualAugmenter augmenter)
{
    public const string Source = "synthetic";

    /// <summary>Problems in male words; <c>{name}</c> is a name from <see cref="Names"/>, <c>{a}</c>, <c>{b}</c> numbers 2–20 with a &lt; b.</summary>
    public static IReadOnlyList<string> Templates { get; } =
    [
        "{name} has {a} apples. He buys {b} more apples at the market. How many apples does he have now?",
        "{name} earns ${a} per hour. He works {b} hours this week. How much money does he earn this week?",
        "{name} reads {a} pages of his book every day. How many pages does he read in {b} days?",
        "{name} had {b} marbles. He gave {a} of them to his brother. How many marbles does he have left?",
        "A boy named {name} walks {a} blocks to school and {a} blocks back home each day. How many blocks does he walk in {b} days?",
        "{name}'s father gives him ${a} every week. How much money does he get from his father in {b} weeks?",
        "{name} is {a} years old. His sister is {b} years older than him. How old is his sister?",
        "{name} buys {a} notebooks for ${b} each. How much does he spend?",
        "{name} runs {a} laps around the track, and each lap is {b} hundred meters. How many hundred meters does he run?",
        "{name} plants {a} rows of tomatoes with {b} plants in each row. How many tomato plants does he plant?",
        "{name} has ${b}. He spends ${a} on a game for himself. How much money does he have left?",
        "{name}, a father of two, bakes {a} trays of cookies with {b} cookies on each tray. How many cookies does he bake?",
    ];

    /// <summary>Male names of the built-in gender lexicon, swapped to their female partners in the twins.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["James", "John", "Robert", "Michael", "David", "Daniel", "Thomas", "Peter", "Paul", "George", "Henry", "Samuel"];

    /// <summary><paramref name="count"/> prompts as count/K sets of one prompt per group: ids <c>synthetic-{k}-{group}</c>,
    /// pair ids <c>synthetic-{k}</c>.</summary>
    /// <exception cref="InvalidInputException"><paramref name="count"/> is not a positive multiple of the K groups.</exception>
    public IReadOnlyList<PreparedRow> Generate(int count, int seed)
    {
        var groups = detector.Lexicon.Groups.Count;
        if (count <= 0 || count % groups != 0)
            throw new InvalidInputException(
                $"Synthetic {count} must be a positive multiple of the {groups} groups of lexicon '{detector.Lexicon.Id}' (one prompt per group per set)");
        var random = new Random(seed);
        var rows = new List<PreparedRow>(count);
        for (var k = 0; k < count / groups; k++)
        {
            var a = random.Next(2, 20);
            var b = random.Next(a + 1, 21);
            var text = Templates[random.Next(Templates.Count)]
                .Replace("{name}", Names[random.Next(Names.Count)])
                .Replace("{a}", a.ToString(CultureInfo.InvariantCulture))
                .Replace("{b}", b.ToString(CultureInfo.InvariantCulture));
            rows.AddRange(TemplateSet.Create(detector, augmenter, text, $"synthetic-{k}", Source));
        }
        return rows;
    }
}
