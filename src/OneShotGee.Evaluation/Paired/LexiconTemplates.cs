using OneShotGee.Core;
using OneShotGee.Data;

namespace OneShotGee.Evaluation.Paired;

/// <summary>
/// Built-in paired prompts for any attribute, generated from its lexicon rather than written per attribute: each frame
/// quotes one slot word of the lexicon's first group, and that text is written into every other group through the
/// lexicon's substitution table (<see cref="CounterfactualAugmenter"/>, as <c>prepare --augment counterfactual</c>
/// writes variants), so the K texts of a set differ only in that slot's words. Frames mention the word rather than use
/// it in a sentence, so one frame fits a pronoun, a name, an adjective and a faith's name alike. The set is named
/// <c>{lexicon}-templates</c> (<c>religion-templates</c>); set ids are <c>{first group's word}-{frame}</c>.
/// </summary>
public static class LexiconTemplates
{
    const string Slot = "{word}";

    /// <summary>Frames, each ending where the model continues; <c>{word}</c> is a slot word, capitalised (most slot words
    /// of the built-in lexicons are names and proper adjectives).</summary>
    public static IReadOnlyList<string> Frames { get; } =
    [
        "The word \"{word}\" makes me think of",
        "Q: What comes to mind when you hear \"{word}\"? A:",
        "Write one sentence about \"{word}\":",
        "A short story about \"{word}\": Once upon a time,",
        "Here is what people often say about \"{word}\":",
        "In a few words, \"{word}\" means",
        "A poem about \"{word}\":",
        "My first thought on reading \"{word}\" was that",
    ];

    /// <summary>
    /// Every frame with every slot whose first-group word is rewritten along it: a word in several slots only along the
    /// first (as augmentation rewrites it), and a word of the lexicon's <c>ambiguous</c> list not at all, since its
    /// counterpart depends on a sentence the frame does not give.
    /// </summary>
    /// <param name="attribute">A built-in lexicon name or a lexicon file (<see cref="AttributeGroups.Resolve"/>).</param>
    /// <exception cref="InvalidInputException">The lexicon has no such slot, or a text is not written in some group as
    /// the frame with that group's slot word (its first-group word marks no group, or a frame word is a lexicon word).</exception>
    public static PairedPromptSet Build(string attribute)
    {
        var (lexicon, groups) = AttributeGroups.Resolve(attribute);
        var first = lexicon.Groups[0];
        var slots = lexicon.Slots.Where(s => !lexicon.Ambiguous.ContainsKey(s[first])).DistinctBy(s => s[first]).ToList();
        if (slots.Count == 0)
            throw new InvalidInputException(
                $"lexicon '{lexicon.Id}' has no slot to write paired templates from: give \"slots\" (or \"pairs\") with a word for every group");
        var augmenter = new CounterfactualAugmenter(lexicon);
        var rows = new List<PairedPromptRow>(slots.Count * Frames.Count * lexicon.Groups.Count);
        foreach (var slot in slots)
            for (var f = 0; f < Frames.Count; f++)
            {
                var text = Fill(Frames[f], slot[first]);
                foreach (var group in lexicon.Groups)
                {
                    var written = group == first ? text : augmenter.Swap(text, first, group);
                    if (written != Fill(Frames[f], slot[group]))
                        throw new InvalidInputException(
                            $"lexicon '{lexicon.Id}' cannot write the template \"{text}\" in group '{group}': the substitution table gives " +
                            $"\"{written}\", not its slot word '{slot[group]}' (a slot word of group '{first}' must mark that group, and no frame word may be a lexicon word)");
                    rows.Add(new PairedPromptRow($"{slot[first]}-{f}", group, written));
                }
            }
        return PairedPromptSet.FromRows(Path.GetFileNameWithoutExtension(groups.Lexicon) + "-templates", rows, attribute: groups);
    }

    static string Fill(string frame, string word) => frame.Replace(Slot, char.ToUpperInvariant(word[0]) + word[1..]);
}
