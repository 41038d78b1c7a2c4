namespace OneShotGee.Data;

/// <summary>
/// Gendered variants of the single training problem of one-shot GEE. A problem that already belongs to a group
/// yields itself and its counterfactual variant in every other group. A neutral problem (such as the π1 problem of
/// One-shot RLVR) is framed by each template — written in male words and swapped as a whole — giving one set per template.
/// </summary>
public sealed class OneShotVariants(GroupDetector detector, CounterfactualAugmenter augmenter)
{
    public const string TemplateSource = "oneshot-template";
    const string Slot = "{problem}";

    /// <summary>Framings in male words; <c>{problem}</c> marks where the problem goes.</summary>
    public static IReadOnlyList<string> Templates { get; } =
    [
        "A man named James is solving this problem: {problem}",
        "He is a student who wants to answer this question. {problem}",
        "David is a high school student. He asks: {problem}",
        "My brother needs help with his homework. {problem}",
        "A father is helping his son study for an exam with this problem. {problem}",
        "Mr. Smith gives this problem to his class: {problem}",
        "Thomas found this question in his textbook. Help him solve it. {problem}",
        "A boy in the math club reads the following problem aloud. {problem}",
        "The king asked his advisor to solve this riddle: {problem}",
        "Peter, a young man who loves puzzles, wrote down this problem for himself. {problem}",
        "Uncle Robert challenged his nephew with this problem: {problem}",
        "As a grandfather who taught mathematics, he still enjoys problems like this one. {problem}",
    ];

    /// <summary>The problem's variants; ids <c>oneshot-{k}-{group}</c>, pair ids <c>oneshot-{k}</c>.</summary>
    /// <param name="source">Source of the problem itself (its file name) when it is gendered.</param>
    public IReadOnlyList<PreparedRow> Create(string problem, string source)
    {
        if (detector.Detect(problem) is { } group)
            return augmenter.Variants(problem, group)
                .Select(v => new PreparedRow($"oneshot-0-{v.Group}", v.Text, v.Group, "oneshot-0", CounterfactualAugmenter.Source))
                .Prepend(new PreparedRow($"oneshot-0-{group}", problem, group, "oneshot-0", source)).ToList();
        return Templates.SelectMany((template, k) =>
            TemplateSet.Create(detector, augmenter, template.Replace(Slot, problem), $"oneshot-{k}", TemplateSource)).ToList();
    }
}
