using System.Text.RegularExpressions;

namespace OneShotGee.Deploy.Tests;

/// <summary>services/Dockerfile as build stages of instructions (continuation lines joined, comments dropped).</summary>
sealed record Dockerfile(IReadOnlyList<(string Instruction, string Arguments)> Preamble, IReadOnlyList<Dockerfile.Stage> Stages)
{
    public sealed record Stage(string Base, string Name, IReadOnlyList<(string Instruction, string Arguments)> Instructions)
    {
        public IEnumerable<string> All(string instruction) =>
            Instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments);
    }

    public const string RelativePath = "services/Dockerfile";

    public static Dockerfile Load()
    {
        var text = Regex.Replace(File.ReadAllText(Repo.PathOf(RelativePath)), @"\\\r?\n", " ");
        var instructions = text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => Regex.Match(line, @"^(\w+)\s+(.*)$"))
            .Select(m => (m.Groups[1].Value.ToUpperInvariant(), m.Groups[2].Value.Trim()))
            .ToList();
        var preamble = instructions.TakeWhile(i => i.Item1 != "FROM").ToList();
        var stages = new List<(string Base, string Name, List<(string, string)> Body)>();
        foreach (var (instruction, arguments) in instructions.Skip(preamble.Count))
        {
            if (instruction == "FROM")
            {
                var from = Regex.Match(arguments, @"^(\S+)(?:\s+AS\s+(\S+))?$", RegexOptions.IgnoreCase);
                stages.Add((from.Groups[1].Value, from.Groups[2].Value, []));
            }
            else stages[^1].Body.Add((instruction, arguments));
        }
        return new Dockerfile(preamble, stages.Select(s => new Stage(s.Base, s.Name, s.Body)).ToList());
    }

    public string Default(string arg) =>
        Preamble.Where(i => i.Instruction == "ARG").Select(i => i.Arguments.Split('=', 2))
            .Single(parts => parts[0] == arg) is [_, var value] ? value : throw new Xunit.Sdk.XunitException($"ARG {arg} has no default");
}
