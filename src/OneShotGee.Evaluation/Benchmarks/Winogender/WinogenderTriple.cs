using System.Globalization;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// One Winogender schema sentence (Rudinger et al., NAACL 2018) in its male, female and neutral (they) variants,
/// with the share of women in the occupation (U.S. Bureau of Labor Statistics).
/// </summary>
public sealed record WinogenderTriple(string Occupation, string Participant, string Answer, string Male, string Female, string Neutral, double BlsPctFemale)
{
    public const string Layout = "winogender/all_sentences.tsv (sentid 'occupation.participant.answer.{male,female,neutral}.txt', sentence) "
        + "and winogender/occupations-stats.tsv (occupation, bls_pct_female)";

    /// <summary>The triples in the order their first sentence appears.</summary>
    public static IReadOnlyList<WinogenderTriple> Read(string sentencesPath, string statsPath)
    {
        var blsPctFemale = ReadBlsPctFemale(statsPath);
        var table = CsvTable.ReadTsv(sentencesPath);
        var (sentId, sentence) = (table.Column("sentid"), table.Column("sentence"));
        var variants = new Dictionary<(string, string, string), Dictionary<string, string>>();
        foreach (var row in table.Rows)
        {
            var parts = row[sentId].Split('.');
            if (parts is not [var occupation, var participant, var answer, "male" or "female" or "neutral", "txt"])
                throw new InvalidInputException($"sentid '{row[sentId]}' in '{sentencesPath}' is not 'occupation.participant.answer.{{male,female,neutral}}.txt'");
            var key = (occupation, participant, answer);
            if (!variants.TryGetValue(key, out var byGender)) variants[key] = byGender = [];
            byGender[parts[3]] = row[sentence];
        }
        return [.. variants.Select(v =>
        {
            var (occupation, participant, answer) = v.Key;
            string Variant(string gender) => v.Value.TryGetValue(gender, out var s) ? s
                : throw new InvalidInputException($"'{sentencesPath}' has no {gender} variant of {occupation}.{participant}.{answer}");
            return new WinogenderTriple(occupation, participant, answer, Variant("male"), Variant("female"), Variant("neutral"),
                blsPctFemale.TryGetValue(occupation, out var pct) ? pct
                    : throw new InvalidInputException($"occupation '{occupation}' has no row in '{statsPath}'"));
        })];
    }

    static Dictionary<string, double> ReadBlsPctFemale(string path)
    {
        var table = CsvTable.ReadTsv(path);
        var (occupation, pct) = (table.Column("occupation"), table.Column("bls_pct_female"));
        return table.Rows.ToDictionary(r => r[occupation], r => double.TryParse(r[pct], CultureInfo.InvariantCulture, out var v) ? v
            : throw new InvalidInputException($"bls_pct_female '{r[pct]}' of '{r[occupation]}' in '{path}' is not a number"));
    }
}
