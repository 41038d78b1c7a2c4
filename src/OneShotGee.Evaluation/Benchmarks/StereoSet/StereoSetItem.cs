namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// A StereoSet item (Nadeem et al., ACL 2021). Intrasentence: the context with BLANK filled three ways, stored as
/// whole sentences. Intersentence: a context sentence and three candidate next sentences.
/// </summary>
public sealed record StereoSetItem(string Split, string Target, string Context, string Stereotype, string AntiStereotype, string Unrelated)
{
    public const string Intrasentence = "intrasentence";
    public const string Intersentence = "intersentence";

    public const string Layout = "stereoset/stereoset_gender_{intrasentence,intersentence}.jsonl, fields context, target, "
        + "stereotype, anti_stereotype, unrelated (whole sentences; intersentence: the sentences that follow the context)";

    public static string FileName(string split) => Path.Combine("stereoset", $"stereoset_gender_{split}.jsonl");

    public static IReadOnlyList<StereoSetItem> Read(string path, string split) =>
        [.. JsonLines.Read(path).Select(r =>
            new StereoSetItem(split, r.String("target"), r.String("context"), r.String("stereotype"), r.String("anti_stereotype"), r.String("unrelated")))];
}
