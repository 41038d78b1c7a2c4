using System.Security.Cryptography;
using System.Text;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Paired;

/// <summary>One row of a paired prompt file: rows sharing <see cref="PairId"/> are one prompt per group.</summary>
public sealed record PairedPromptRow(string PairId, string Group, string Text);

/// <summary>
/// Prompts in matched pairs: every pair has exactly one prompt of every group. <see cref="Sha256"/> names the data
/// measured: the file's bytes, or for a built-in set the hash of its canonical text. <see cref="Attribute"/> names the
/// attribute the groups belong to, when known.
/// </summary>
public sealed class PairedPromptSet
{
    PairedPromptSet(string name, IReadOnlyList<string> groups, IReadOnlyList<PromptPair> pairs, string sha256, AttributeGroups? attribute) =>
        (Name, Groups, Pairs, Sha256, Attribute) = (name, groups, pairs, sha256, attribute);

    public string Name { get; }
    public IReadOnlyList<string> Groups { get; }
    public IReadOnlyList<PromptPair> Pairs { get; }
    public string Sha256 { get; }
    public AttributeGroups? Attribute { get; }

    /// <summary>Groups in order of first appearance; pairs in order of their first row.</summary>
    /// <param name="sha256">Hash of the source file; null hashes the rows themselves.</param>
    /// <param name="attribute">The attribute whose groups the rows hold; null when the source does not say.</param>
    /// <exception cref="InvalidInputException">No rows, fewer than two groups, a pair missing a group or naming one twice,
    /// or groups other than <paramref name="attribute"/>'s.</exception>
    public static PairedPromptSet FromRows(string name, IReadOnlyList<PairedPromptRow> rows, string? sha256 = null, AttributeGroups? attribute = null)
    {
        if (rows.Count == 0) throw new InvalidInputException($"paired prompt set '{name}' has no rows");
        var groups = rows.Select(r => r.Group).Distinct().ToArray();
        if (groups.Length < 2)
            throw new InvalidInputException(
                $"paired prompt set '{name}' has only group '{groups[0]}'; paired prompts need at least two groups");
        var pairs = new List<PromptPair>();
        foreach (var pair in rows.GroupBy(r => r.PairId, StringComparer.Ordinal))
        {
            var texts = new string[groups.Length];
            foreach (var row in pair)
            {
                var g = Array.IndexOf(groups, row.Group);
                if (texts[g] is not null)
                    throw new InvalidInputException($"pair '{pair.Key}' of paired prompt set '{name}' has two rows of group '{row.Group}'");
                texts[g] = row.Text;
            }
            var missing = groups.Where((_, g) => texts[g] is null).ToArray();
            if (missing.Length > 0)
                throw new InvalidInputException(
                    $"pair '{pair.Key}' of paired prompt set '{name}' has no row of group(s) {string.Join(", ", missing)}; " +
                    $"every pair needs one prompt of each group ({string.Join(", ", groups)})");
            pairs.Add(new PromptPair(pair.Key, texts));
        }
        var set = new PairedPromptSet(name, groups, pairs, sha256 ?? HashRows(rows), attribute: null);
        return attribute is null ? set : set.Of(attribute);
    }

    /// <summary>At most <paramref name="maxPairs"/> pairs, a seeded sample kept in the original order (see <see cref="ItemLimit"/>).</summary>
    public PairedPromptSet Subset(int maxPairs, int seed) => Subset(new ItemLimit(maxPairs, seed));

    public PairedPromptSet Subset(ItemLimit limit) =>
        limit.Count >= Pairs.Count ? this : new PairedPromptSet(Name, Groups, limit.Draw(Pairs), Sha256, Attribute);

    /// <summary>This set's rows named as the groups of <paramref name="attribute"/>, which must be exactly its groups.</summary>
    /// <exception cref="InvalidInputException">The set holds other groups than the attribute's.</exception>
    public PairedPromptSet Of(AttributeGroups attribute) =>
        AttributeGroups.SameGroups(Groups, attribute.Groups)
            ? new PairedPromptSet(Name, Groups, Pairs, Sha256, attribute)
            : throw new InvalidInputException(
                $"paired prompt set '{Name}' has the groups {string.Join(", ", Groups)}, but attribute '{attribute.Name}' " +
                $"(lexicon '{attribute.LexiconId}') has {string.Join(", ", attribute.Groups)}");

    static string HashRows(IReadOnlyList<PairedPromptRow> rows)
    {
        var canonical = new StringBuilder();
        foreach (var row in rows) canonical.Append(row.PairId).Append('\t').Append(row.Group).Append('\t').Append(row.Text).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
