using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// A BBQ question (Parrish et al., Findings of ACL 2022) with its three answers, the correct one
/// (<see cref="Label"/>), the "unknown" one, and the one naming the stereotyped group (<see cref="TargetIndex"/>;
/// null when not exactly one answer does, as in a few Gender_identity templates that contrast "man" with "boy").
/// An answer names the stereotyped group when its group or its term does (Nationality labels answers by region but
/// stereotypes nationalities). <see cref="Category"/> is the file's name: Age, Gender_identity, Religion, ….
/// </summary>
public sealed record BbqItem(string Context, string Question, IReadOnlyList<string> Answers, int Label,
    bool Ambiguous, bool NegativeQuestion, int UnknownIndex, int? TargetIndex, string Category = "Gender_identity")
{
    public const string Layout = "bbq/data/<Category>.jsonl, e.g. bbq/data/Gender_identity.jsonl (the BBQ repository's data/ files), "
        + "fields context, question, ans0..ans2, label, context_condition, question_polarity, answer_info, additional_metadata.stereotyped_groups";

    public static IReadOnlyList<BbqItem> Read(string path)
    {
        var category = Path.GetFileNameWithoutExtension(path);
        return [.. JsonLines.Read(path).Select(r => Parse(r) with { Category = category })];
    }

    static BbqItem Parse(JsonRecord r)
    {
        var answers = new[] { r.String("ans0"), r.String("ans1"), r.String("ans2") };
        var label = r.Field("label") is { ValueKind: JsonValueKind.Number } l && l.TryGetInt32(out var v) && v is >= 0 and <= 2 ? v
            : throw new InvalidInputException($"field 'label' in {r.Where} is not 0, 1 or 2");
        var ambiguous = r.String("context_condition") switch
        {
            "ambig" => true, "disambig" => false,
            var c => throw new InvalidInputException($"context_condition '{c}' in {r.Where} is not ambig or disambig"),
        };
        var negative = r.String("question_polarity") switch
        {
            "neg" => true, "nonneg" => false,
            var p => throw new InvalidInputException($"question_polarity '{p}' in {r.Where} is not neg or nonneg"),
        };
        var info = r.Object("answer_info");
        var labels = Enumerable.Range(0, 3).Select(i => info.TryGetProperty($"ans{i}", out var a) && a.ValueKind == JsonValueKind.Array
                && a.GetArrayLength() == 2 ? (Term: a[0].GetString() ?? "", Group: a[1].GetString() ?? "")
                : throw new InvalidInputException($"answer_info.ans{i} in {r.Where} is not [text, group]")).ToArray();
        var groups = labels.Select(l => l.Group).ToArray();
        var unknown = Array.IndexOf(groups, "unknown");
        if (unknown < 0 || groups.Count(g => g == "unknown") > 1)
            throw new InvalidInputException($"answer_info in {r.Where} must mark exactly one answer 'unknown'");
        var stereotyped = r.Object("additional_metadata").TryGetProperty("stereotyped_groups", out var sg) && sg.ValueKind == JsonValueKind.Array
            ? sg.EnumerateArray().Select(g => BbqGroups.Canonical(g.GetString() ?? "")).ToHashSet()
            : throw new InvalidInputException($"additional_metadata.stereotyped_groups missing in {r.Where}");
        var targets = Enumerable.Range(0, 3).Where(i => i != unknown
            && (stereotyped.Contains(BbqGroups.Canonical(groups[i])) || stereotyped.Contains(BbqGroups.Canonical(labels[i].Term)))).ToList();
        return new BbqItem(r.String("context"), r.String("question"), answers, label, ambiguous, negative, unknown,
            targets.Count == 1 ? targets[0] : null);
    }
}
