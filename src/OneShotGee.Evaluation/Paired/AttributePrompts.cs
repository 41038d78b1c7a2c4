namespace OneShotGee.Evaluation.Paired;

/// <summary>
/// The paired prompts an evaluation measures: the user's file (pair_id or set_id, group, text) when one is given, else
/// the built-in templates of the attribute (<c>evaluate --attribute NAME|FILE</c>, resolved as
/// <c>prepare --attribute</c> resolves it): the Winogender-style templates for the built-in <c>gender</c> (the default),
/// templates generated from the lexicon's slots for every other attribute.
/// </summary>
public static class AttributePrompts
{
    /// <param name="attribute">A built-in lexicon name or a lexicon file; null: gender's templates, or a file's groups unnamed.</param>
    /// <exception cref="Core.InvalidInputException">An unknown attribute, a lexicon that cannot write its templates, or
    /// a file whose groups are not the attribute's.</exception>
    public static PairedPromptSet Read(string? pairedPromptsFile, string? attribute)
    {
        if (pairedPromptsFile is not null)
        {
            var set = PairedPromptFile.Read(pairedPromptsFile);
            return attribute is null ? set : set.Of(AttributeGroups.Resolve(attribute).Attribute);
        }
        return attribute is null or WinogenderTemplates.Attribute ? WinogenderTemplates.Build() : LexiconTemplates.Build(attribute);
    }
}
