using OneShotGee.Core;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// A CrowS-Pairs minimal pair (Nangia et al., EMNLP 2020). <see cref="SentMore"/> is always the more stereotypical
/// sentence; <see cref="Direction"/> says whether it demonstrates a stereotype (stereo) or the other sentence
/// violates one (antistereo).
/// </summary>
public sealed record CrowsPair(string SentMore, string SentLess, string Direction)
{
    public const string Layout = "crows_pairs/crows_pairs_anonymized.csv (the original, filtered to bias_type=gender) "
        + "or crows_pairs/crows_pairs_gender.csv, columns sent_more, sent_less, stereo_antistereo, bias_type";

    /// <summary>The gender pairs of the original file if present, else of the gender-only file.</summary>
    public static (IReadOnlyList<CrowsPair> Pairs, string Path) ReadGender(string dataDir)
    {
        var original = Path.Combine(dataDir, "crows_pairs", "crows_pairs_anonymized.csv");
        var path = File.Exists(original) ? original : DataFiles.Require(dataDir, Path.Combine("crows_pairs", "crows_pairs_gender.csv"), Layout);
        var table = CsvTable.ReadCsv(path);
        var (more, less, direction, biasType) =
            (table.Column("sent_more"), table.Column("sent_less"), table.Column("stereo_antistereo"), table.Column("bias_type"));
        var pairs = new List<CrowsPair>();
        foreach (var (row, i) in table.Rows.Select((r, i) => (r, i)))
        {
            if (row[biasType] != "gender") continue;
            if (row[direction] is not ("stereo" or "antistereo"))
                throw new InvalidInputException($"row {i + 1} of '{path}': stereo_antistereo is '{row[direction]}', expected stereo or antistereo");
            pairs.Add(new CrowsPair(row[more], row[less], row[direction]));
        }
        return (pairs, path);
    }
}
