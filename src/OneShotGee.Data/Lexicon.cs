using System.Security.Cryptography;
using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>
/// Swap targets of a word whose counterpart depends on its use: <c>Determiner</c> before a noun ("her book" → "his book"),
/// else <c>Other</c>: an object pronoun ("gave her" → "gave him") or, when <c>OtherStandsAlone</c>, a possessive that
/// stands alone ("is his." → "is hers.").
/// </summary>
public sealed record AmbiguousSwap(string Other, string Determiner, bool OtherStandsAlone = false);

/// <summary>
/// One attribute (gender, religion, …) as data: its groups (two or more), the words that mark each group, and the
/// aligned substitution slots between them (he/she/they, Mr./Mrs./Mx., a name per group), read from a JSON file
/// (format: <see cref="LexiconJson"/> and <c>Lexicons/README.md</c>). Built-in lexicons are embedded as
/// <c>Lexicons/{name}.json</c>.
/// </summary>
public sealed class Lexicon
{
    internal Lexicon(string attribute, byte[] json, IReadOnlyList<string> groups, IReadOnlyDictionary<string, IReadOnlyList<string>> words,
        IReadOnlyList<IReadOnlyDictionary<string, string>> slots, IReadOnlyDictionary<string, IReadOnlyDictionary<string, AmbiguousSwap>> ambiguous)
    {
        Attribute = attribute;
        Id = $"{attribute}-{Convert.ToHexStringLower(SHA256.HashData(json))[..8]}";
        Groups = groups;
        Words = words;
        Slots = slots;
        Ambiguous = ambiguous;
    }

    public string Attribute { get; }

    /// <summary>Attribute name plus the first 8 hex digits of the file's SHA-256, e.g. <c>gender-1a2b3c4d</c>.</summary>
    public string Id { get; }

    public IReadOnlyList<string> Groups { get; }

    /// <summary>Lower-case words that mark each group (detection counts them), in group order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Words { get; }

    /// <summary>Aligned substitutions, in file order: each maps every group to its word. A word that marks no group is
    /// written into variants but never detected nor swapped back (e.g. "they" for a non-binary group).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Slots { get; }

    /// <summary>Words swapped by context: word → target group → its two candidates.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, AmbiguousSwap>> Ambiguous { get; }

    /// <summary>Names of the lexicons embedded in this library.</summary>
    public static IReadOnlyList<string> BuiltInAttributes { get; } = typeof(Lexicon).Assembly.GetManifestResourceNames()
        .Where(n => n.EndsWith(".json", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).OfType<string>()
        .Order(StringComparer.Ordinal).ToArray();

    public static Lexicon BuiltIn(string name)
    {
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream(name + ".json")
            ?? throw new InvalidInputException(
                $"no built-in lexicon for attribute '{name}'; built-in: {string.Join(", ", BuiltInAttributes)} (or give a lexicon file)");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return LexiconJson.Parse(buffer.ToArray(), $"built-in lexicon '{name}'");
    }

    public static Lexicon Load(string path)
    {
        byte[] json;
        try { json = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException($"cannot read lexicon file '{path}': {e.Message}", e);
        }
        return LexiconJson.Parse(json, $"lexicon file '{path}'");
    }

    /// <summary>A lexicon file when <paramref name="nameOrFile"/> <see cref="NamesFile"/>, else a built-in lexicon.</summary>
    public static Lexicon Resolve(string nameOrFile) => NamesFile(nameOrFile) ? Load(nameOrFile) : BuiltIn(nameOrFile);

    /// <summary>Whether an attribute value is a lexicon file (it ends in <c>.json</c> or has a directory) rather than a built-in name.</summary>
    public static bool NamesFile(string nameOrFile) =>
        nameOrFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrFile.Contains('/') || nameOrFile.Contains(Path.DirectorySeparatorChar);

    /// <inheritdoc cref="LexiconJson.Parse"/>
    public static Lexicon Parse(byte[] json, string source) => LexiconJson.Parse(json, source);
}
