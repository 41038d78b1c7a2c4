using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>
/// Reads a <see cref="Lexicon"/> from JSON (documented with examples in <c>Lexicons/README.md</c>):
/// <code>
/// { "attribute": "gender",
///   "groups": { "male": ["he", "him", …], "female": ["she", "her", …], "nonbinary": ["mx", …] },
///   "slots": [{ "male": "he", "female": "she", "nonbinary": "they" }, …],   // optional: a word for every group
///   "pairs": [["he", "she"], …],                      // optional, two groups only: a slot written as [first, second]
///   "ambiguous": { "her": { "object": { "male": "him", "nonbinary": "them" }, "determiner": { … } },
///                  "his": { "standalone": "hers", "determiner": "her" } } }   // a string: the other group's word (two groups)
/// </code>
/// Words are letters only and matched case-insensitively as whole words. A <c>pairs</c> word must mark its group; a
/// <c>slots</c> or <c>ambiguous</c> word marks its group or no group at all (then it is only ever written).
/// </summary>
static class LexiconJson
{
    /// <param name="source">How messages name the lexicon, e.g. <c>lexicon file 'race.json'</c>.</param>
    /// <exception cref="InvalidInputException">The first problem found, naming the source, group and word.</exception>
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
            var (groups, words, owner) = ReadGroups(root, source);
            var reader = new Reader(groups, words, owner, source);
            var slots = reader.Pairs(root).Concat(reader.Slots(root)).ToArray();
            return new Lexicon(attribute, json, groups, words, slots, reader.Ambiguous(root));
        }
    }

    static (string[] Groups, Dictionary<string, IReadOnlyList<string>> Words, Dictionary<string, string> Owner) ReadGroups(
        JsonElement root, string source)
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
        return (words.Keys.ToArray(), words, owner);
    }

    sealed class Reader(string[] groups, Dictionary<string, IReadOnlyList<string>> words, Dictionary<string, string> owner, string source)
    {
        public IEnumerable<IReadOnlyDictionary<string, string>> Pairs(JsonElement root)
        {
            if (!root.TryGetProperty("pairs", out var pairsElement)) yield break;
            if (pairsElement.ValueKind != JsonValueKind.Array)
                throw new InvalidInputException($"{source}: \"pairs\" must be a list of [word, word] lists");
            if (groups.Length != 2 && pairsElement.GetArrayLength() > 0)
                throw new InvalidInputException($"{source}: \"pairs\" need exactly two groups, found {groups.Length}; use \"slots\"");
            foreach (var item in pairsElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2)
                    throw new InvalidInputException($"{source}: pair {item.GetRawText()} must be a list of two words");
                var (first, second) = (Word(item[0], "pairs", source), Word(item[1], "pairs", source));
                RequireMarks(first, groups[0]);
                RequireMarks(second, groups[1]);
                yield return new Dictionary<string, string> { [groups[0]] = first, [groups[1]] = second };
            }
        }

        public IEnumerable<IReadOnlyDictionary<string, string>> Slots(JsonElement root)
        {
            if (!root.TryGetProperty("slots", out var slotsElement)) yield break;
            if (slotsElement.ValueKind != JsonValueKind.Array)
                throw new InvalidInputException($"{source}: \"slots\" must be a list of {{group: word}} objects");
            foreach (var item in slotsElement.EnumerateArray())
                yield return WordPerGroup(item, groups, $"slot {item.GetRawText()}");
        }

        public Dictionary<string, IReadOnlyDictionary<string, AmbiguousSwap>> Ambiguous(JsonElement root)
        {
            var ambiguous = new Dictionary<string, IReadOnlyDictionary<string, AmbiguousSwap>>();
            if (!root.TryGetProperty("ambiguous", out var element)) return ambiguous;
            if (element.ValueKind != JsonValueKind.Object)
                throw new InvalidInputException($"{source}: \"ambiguous\" must map words to {{\"object\" or \"standalone\": …, \"determiner\": …}}");
            foreach (var entry in element.EnumerateObject())
            {
                var word = entry.Name.ToLowerInvariant();
                var group = owner.GetValueOrDefault(word) ?? throw new InvalidInputException($"{source}: ambiguous word '{entry.Name}' is in no group");
                var standsAlone = entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("standalone", out _);
                if (standsAlone && entry.Value.TryGetProperty("object", out _))
                    throw new InvalidInputException($"{source}: ambiguous word '{entry.Name}' has both \"object\" and \"standalone\"; give one");
                var others = groups.Where(g => g != group).ToArray();
                var where = $"ambiguous word '{entry.Name}'";
                var other = Candidates(Required(entry.Value, standsAlone ? "standalone" : "object"), others, where);
                var determiner = Candidates(Required(entry.Value, "determiner"), others, where);
                ambiguous.Add(word, others.ToDictionary(g => g, g => new AmbiguousSwap(other[g], determiner[g], standsAlone)));
            }
            return ambiguous;
        }

        /// <summary>A string (the one other group's word) or an object with a word for each of <paramref name="targets"/>.</summary>
        IReadOnlyDictionary<string, string> Candidates(JsonElement element, string[] targets, string where)
        {
            if (element.ValueKind != JsonValueKind.String) return WordPerGroup(element, targets, where);
            if (targets.Length != 1)
                throw new InvalidInputException($"{source}: {where} needs an object {{group: word}} for the groups {string.Join(", ", targets)}");
            var word = Word(element, where, source);
            RequireWordOf(word, targets[0], where);
            return new Dictionary<string, string> { [targets[0]] = word };
        }

        Dictionary<string, string> WordPerGroup(JsonElement element, string[] targets, string where)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw new InvalidInputException($"{source}: {where} must be an object mapping groups to words");
            var map = new Dictionary<string, string>();
            foreach (var property in element.EnumerateObject())
            {
                if (!targets.Contains(property.Name))
                    throw new InvalidInputException($"{source}: {where} names '{property.Name}', not one of the groups {string.Join(", ", targets)}");
                var word = Word(property.Value, where, source);
                RequireWordOf(word, property.Name, where);
                map[property.Name] = word;
            }
            var missing = targets.FirstOrDefault(g => !map.ContainsKey(g));
            if (missing is not null) throw new InvalidInputException($"{source}: {where} has no word for group '{missing}'");
            return map;
        }

        JsonElement Required(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
                ? value
                : throw new InvalidInputException($"{source}: ambiguous words need \"{name}\"");

        void RequireMarks(string word, string group)
        {
            if (!words[group].Contains(word))
                throw new InvalidInputException($"{source}: '{word}' is used as a '{group}' word but is not in group '{group}'");
        }

        /// <summary>A substitution word marks its group or none: a word of another group would be detected as that group.</summary>
        void RequireWordOf(string word, string group, string where)
        {
            if (owner.TryGetValue(word, out var other) && other != group)
                throw new InvalidInputException($"{source}: {where} gives '{word}' for group '{group}', but it is a word of group '{other}'");
        }
    }

    static string Word(JsonElement item, string where, string source)
    {
        var word = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
        if (word.Length == 0 || !word.All(char.IsLetter))
            throw new InvalidInputException($"{source}: {where} has {item.GetRawText()}; words must be non-empty and letters only");
        return word.ToLowerInvariant();
    }

    static string RequiredString(JsonElement element, string name, string source) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidInputException($"{source} needs a non-empty string \"{name}\"");
}
