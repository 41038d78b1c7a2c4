using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>A templated text and its counterfactual variant in every other group: ids <c>{setId}-{group}</c>.</summary>
static class TemplateSet
{
    /// <exception cref="InvalidInputException">The lexicon puts the text in no group.</exception>
    public static IEnumerable<PreparedRow> Create(GroupDetector detector, CounterfactualAugmenter augmenter,
        string text, string setId, string source)
    {
        var group = detector.Detect(text) ?? throw new InvalidInputException(
            $"template text \"{text}\" is in no group of lexicon '{detector.Lexicon.Id}'; " +
            "the one-shot and synthetic templates are written in gender words");
        return detector.Lexicon.Groups.Select(g =>
            new PreparedRow($"{setId}-{g}", g == group ? text : augmenter.Swap(text, group, g), g, setId, source));
    }
}
