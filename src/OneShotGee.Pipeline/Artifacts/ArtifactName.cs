using System.Text.RegularExpressions;
using OneShotGee.Core;

namespace OneShotGee.Pipeline.Artifacts;

/// <summary>
/// Artifact names travel between services and become file and blob names, so they are checked at the edge:
/// 1–128 characters of letters, digits, '.', '_' and '-', optionally in '/'-separated segments, never '.' or '..'.
/// </summary>
public static partial class ArtifactName
{
    public const int MaxLength = 128;

    public static string Validate(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new InvalidInputException("artifact name is empty");
        if (name.Length > MaxLength)
            throw new InvalidInputException($"artifact name '{name[..32]}…' is {name.Length} characters long; the limit is {MaxLength}");
        if (!Allowed().IsMatch(name) || name.Split('/').Any(segment => segment is "." or ".."))
            throw new InvalidInputException(
                $"artifact name '{name}' is not allowed: use letters, digits, '.', '_', '-' and '/' between segments, no '..'");
        return name;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")]
    private static partial Regex Allowed();
}
