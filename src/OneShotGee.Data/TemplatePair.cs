using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>A templated text and its counterfactual twin, each labelled by detection: ids <c>{pairId}-{group}</c>.</summary>
static class TemplatePair
{
    /// <exception cref="InvalidInputException">The lexicon does not put the text and its twin in two different groups.</exception>
    public static IEnumerable<PreparedRow> Create(GroupDetector detector, CounterfactualAugmenter augmenter,
        string text, string pairId, string source)
    {
        var twin = augmenter.Swap(text);
        var (first, second) = (detector.Detect(text), detector.Detect(twin));
        if (first is null || second is null || first == second)
            throw new InvalidInputException(
                $"template text \"{text}\" is not split into two groups by lexicon '{detector.Lexicon.Id}'; " +
                "the one-shot and synthetic templates are written in gender words");
        return [new PreparedRow($"{pairId}-{first}", text, first, pairId, source), new PreparedRow($"{pairId}-{second}", twin, second, pairId, source)];
    }
}
