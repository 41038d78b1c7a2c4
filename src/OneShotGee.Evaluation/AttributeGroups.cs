namespace OneShotGee.Evaluation;

/// <summary>
/// The attribute group-keyed numbers belong to (per-group entropies, their gap and variance): the attribute's name, the
/// lexicon that defines its groups (a built-in name such as <c>gender-nb</c>, or a lexicon file's name) and its id
/// (<see cref="Data.Lexicon.Id"/>), and the groups in the lexicon's order.
/// </summary>
public sealed record AttributeGroups(string Name, string Lexicon, string LexiconId, IReadOnlyList<string> Groups)
{
    /// <summary>Whether two lists hold the same groups, in any order.</summary>
    public static bool SameGroups(IEnumerable<string> a, IEnumerable<string> b) =>
        a.Order(StringComparer.Ordinal).SequenceEqual(b.Order(StringComparer.Ordinal));

    /// <summary>The lexicon <paramref name="nameOrFile"/> names (<see cref="Data.Lexicon.Resolve"/>, as <c>prepare --attribute</c>) and its groups.</summary>
    /// <exception cref="Core.InvalidInputException">No such built-in lexicon, or an unreadable or invalid file.</exception>
    public static (Data.Lexicon Lexicon, AttributeGroups Attribute) Resolve(string nameOrFile)
    {
        var lexicon = Data.Lexicon.Resolve(nameOrFile);
        var name = Data.Lexicon.NamesFile(nameOrFile) ? Path.GetFileName(nameOrFile) : nameOrFile;
        return (lexicon, new AttributeGroups(lexicon.Attribute, name, lexicon.Id, lexicon.Groups));
    }
}
