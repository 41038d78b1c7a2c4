using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>
/// Swap targets of a word whose counterpart depends on its use: <c>Determiner</c> before a noun ("her book" → "his book"),
/// else <c>Other</c>: an object pronoun ("gave her" → "gave him") or, when <c>OtherStandsAlone</c>, a possessive that
/// stands alone ("is his." → "is hers.").
/// </summary>
public sealed record AmbiguousSwap(string Other, string Determiner, bool OtherStandsAlone = false);

/// <summary>A pair of words swapped both ways by counterfactual augmentation; <c>First</c> belongs to the first group.</summary>
public sealed record WordPair(string First, string Second);

/// <summary>
/// The words that mark each group of one attribute (gender, race, age, …), read from a JSON file:
/// <code>
/// { "attribute": "gender",
///   "groups": { "male": ["he", "him", …], "female": ["she", "her", …] },
///   "pairs": [["he", "she"], ["him", "her"], …],          // optional, two groups only: swapped both ways
///   "ambiguous": { "her": { "object": "him", "determiner": "his" },      // optional
///                  "his": { "standalone": "hers", "determiner": "her" } } }
/// </code>
/// Words are letters only and matched case-insensitively as whole words. A word in several pairs swaps to the
/// partner of its first pair; a word in <c>ambiguous</c> swaps by context (see <see cref="PronounContext"/>).
/// A new attribute needs only a new file (built-in ones are embedded as <c>Lexicons/{attribute}.json</c>).
/// </summary>
public sealed class Lexicon
{
    public string Attribute { get; }

    /// <summary>Attribute name plus the first 8 hex digits of the file's SHA-256, e.g. <c>gender-1a2b3c4d</c>.</summary>
    public string Id { get; }

    public IReadOnlyList<string> Groups { get; }

    /// <summary>Lower-case words per group, in group order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Words { get; }

    public IReadOnlyList<WordPair> Pairs { get; }

    public IReadOnlyDictionary<string, AmbiguousSwap> Ambiguous { get; }

    Lexicon(string attribute, string id, IReadOnlyList<string> groups, IReadOnlyDictionary<string, IReadOnlyList<string>> words,
        IReadOnlyList<WordPair> pairs, IReadOnlyDictionary<string, AmbiguousSwap> ambiguous)
    {
        Attribute = attribute;
        Id = id;
        Groups = groups;
        Words = words;
        Pairs = pairs;
        Ambiguous = ambiguous;
    }

    /// <summary>Attributes with a lexicon embedded in this library.</summary>
    public static IReadOnlyList<string> BuiltInAttributes { get; } = typeof(Lexicon).Assembly.GetManifestResourceNames()
        .Where(n => n.EndsWith(".json", StringComparison.Ordinal)).Select(Path.GetFileNameWithoutExtension).OfType<string>()
        .Order(StringComparer.Ordinal).ToArray();

    public static Lexicon BuiltIn(string attribute)
    {
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream(attribute + ".json")
            ?? throw new InvalidInputException(
                $"no built-in lexicon for attribute '{attribute}'; built-in: {string.Join(", ", BuiltInAttributes)} (or give a lexicon file)");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray(), $"built-in lexicon '{attribute}'");
    }

    public static Lexicon Load(string path)
    {
        byte[] json;
        try { json = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException($"cannot read lexicon file '{path}': {e.Message}", e);
        }
        return Parse(json, $"lexicon file '{path}'");
    }

    /// <param name="source">How messages name the lexicon, e.g. <c>lexicon file 'race.json'</c>.</param>
    public static Lexicon Parse(byte[] json, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidInputException($"{source} is not valid JSON: {e.Message}", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{source} must be a JSON object");
            var attribute = RequiredString(root, "attribute", source);
            var (groups, words) = ReadGroups(root, source);
            var pairs = ReadPairs(root, groups, words, source);
            var ambiguous = ReadAmbiguous(root, groups, words, source);
            var id = $"{attribute}-{Convert.ToHexStringLower(SHA256.HashData(json))[..8]}";
            return new Lexicon(attribute, id, groups, words, pairs, ambiguous);
        }
    }

    static (string[] Groups, Dictionary<string, IReadOnlyList<string>> Words) ReadGroups(JsonElement root, string source)
    {
        if (!root.TryGetProperty("groups", out var groupsElement) || groupsElement.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException($"{source} needs \"groups\": an object mapping each group name to its word list");
        var words = new Dictionary<string, IReadOnlyList<string>>();
        var owner = new Dictionary<string, string>();
        foreach (var group in groupsElement.EnumerateObject())
        {
            if (group.Name == GroupDetector.Neutral)
                throw new InvalidInputException($"{source}: '{GroupDetector.Neutral}' is reserved for texts of no group");
            if (group.Value.ValueKind != JsonValueKind.Array)
                throw new InvalidInputException($"{source}: group '{group.Name}' must be a list of words");
            var list = new List<string>();
            foreach (var item in group.Value.EnumerateArray())
            {
                var word = Word(item, $"group '{group.Name}'", source);
                if (owner.TryGetValue(word, out var other) && other != group.Name)
                    throw new InvalidInputException($"{source}: word '{word}' is in both groups '{other}' and '{group.Name}'");
                if (owner.TryAdd(word, group.Name)) list.Add(word);
            }
            if (list.Count == 0) throw new InvalidInputException($"{source}: group '{group.Name}' has no words");
            words.Add(group.Name, list);
        }
        if (words.Count < 2)
            throw new InvalidInputException($"{source} has {words.Count} group(s); an attribute needs at least two");
        return (words.Keys.ToArray(), words);
    }

    static WordPair[] ReadPairs(JsonElement root, string[] groups, Dictionary<string, IReadOnlyList<string>> words, string source)
    {
        if (!root.TryGetProperty("pairs", out var pairsElement)) return [];
        if (pairsElement.ValueKind != JsonValueKind.Array)
            throw new InvalidInputException($"{source}: \"pairs\" must be a list of [word, word] lists");
        if (groups.Length != 2 && pairsElement.GetArrayLength() > 0)
            throw new InvalidInputException($"{source}: \"pairs\" need exactly two groups, found {groups.Length}");
        var pairs = new List<WordPair>();
        foreach (var item in pairsElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2)
                throw new InvalidInputException($"{source}: pair {item.GetRawText()} must be a list of two words");
            var first = Word(item[0], "pairs", source);
            var second = Word(item[1], "pairs", source);
            RequireInGroup(first, groups[0], words, source);
            RequireInGroup(second, groups[1], words, source);
            pairs.Add(new WordPair(first, second));
        }
        return [.. pairs];
    }

    static Dictionary<string, AmbiguousSwap> ReadAmbiguous(JsonElement root, string[] groups,
        Dictionary<string, IReadOnlyList<string>> words, string source)
    {
        var ambiguous = new Dictionary<string, AmbiguousSwap>();
        if (!root.TryGetProperty("ambiguous", out var element)) return ambiguous;
        if (element.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException($"{source}: \"ambiguous\" must map words to {{\"object\" or \"standalone\": …, \"determiner\": …}}");
        foreach (var entry in element.EnumerateObject())
        {
            var word = entry.Name.ToLowerInvariant();
            var group = groups.FirstOrDefault(g => words[g].Contains(word))
                ?? throw new InvalidInputException($"{source}: ambiguous word '{entry.Name}' is in no group");
            var other = groups.First(g => g != group);
            var standsAlone = entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("standalone", out _);
            if (standsAlone && entry.Value.TryGetProperty("object", out _))
                throw new InvalidInputException($"{source}: ambiguous word '{entry.Name}' has both \"object\" and \"standalone\"; give one");
            var swap = new AmbiguousSwap(RequiredString(entry.Value, standsAlone ? "standalone" : "object", source).ToLowerInvariant(),
                RequiredString(entry.Value, "determiner", source).ToLowerInvariant(), standsAlone);
            RequireInGroup(swap.Other, other, words, source);
            RequireInGroup(swap.Determiner, other, words, source);
            ambiguous.Add(word, swap);
        }
        return ambiguous;
    }

    static string Word(JsonElement item, string where, string source)
    {
        var word = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
        if (word.Length == 0 || !word.All(char.IsLetter))
            throw new InvalidInputException($"{source}: {where} has {item.GetRawText()}; words must be non-empty and letters only");
        return word.ToLowerInvariant();
    }

    static void RequireInGroup(string word, string group, Dictionary<string, IReadOnlyList<string>> words, string source)
    {
        if (!words[group].Contains(word))
            throw new InvalidInputException($"{source}: '{word}' is used as a '{group}' word but is not in group '{group}'");
    }

    static string RequiredString(JsonElement element, string name, string source) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidInputException($"{source} needs a non-empty string \"{name}\"");
}
