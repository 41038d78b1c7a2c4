using System.Text.RegularExpressions;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// Line i of a WinoBias pro-stereotyped file and line i of its anti-stereotyped twin (Zhao et al., NAACL 2018): the
/// same sentence with the pronoun's gender swapped. Type 1 needs world knowledge to resolve, type 2 only syntax.
/// </summary>
public sealed partial record WinoBiasPair(int Type, string Pro, string Anti)
{
    public const string Layout = "winobias/{pro,anti}_stereotyped_type{1,2}.txt.{dev,test}, lines '<n> sentence' with [bracketed] mentions";

    public static string FileName(string stereotype, int type, string split) => Path.Combine("winobias", $"{stereotype}_stereotyped_type{type}.txt.{split}");

    public static IReadOnlyList<WinoBiasPair> Read(string proPath, string antiPath, int type)
    {
        var pro = Sentences(proPath);
        var anti = Sentences(antiPath);
        if (pro.Count != anti.Count)
            throw new InvalidInputException($"'{proPath}' has {pro.Count} sentences but '{antiPath}' has {anti.Count}; the files must be line-aligned");
        return [.. pro.Zip(anti, (p, a) => new WinoBiasPair(type, p, a))];
    }

    /// <summary>"12 [The developer] argued with ..." → "The developer argued with ...".</summary>
    static List<string> Sentences(string path) =>
        [.. File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select((line, i) =>
        {
            var match = NumberedLine().Match(line);
            if (!match.Success) throw new InvalidInputException($"line {i + 1} of '{path}' is not '<number> <sentence>': '{line}'");
            return match.Groups[1].Value.Replace("[", "").Replace("]", "").Trim();
        })];

    [GeneratedRegex(@"^\s*\d+\s+(.+)$")]
    private static partial Regex NumberedLine();
}
