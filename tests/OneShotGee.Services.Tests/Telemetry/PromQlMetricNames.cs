using System.Text.RegularExpressions;

namespace OneShotGee.Services.Tests.Telemetry;

/// <summary>
/// The metric names a PromQL expression (or a Grafana <c>label_values(metric, label)</c> query) reads: what is left
/// after removing string literals, label matchers, ranges, grouping clauses, function calls' names and keywords.
/// </summary>
static partial class PromQlMetricNames
{
    static readonly HashSet<string> Keywords = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "le"];

    public static IReadOnlyList<string> Of(string expr)
    {
        if (LabelValues().Match(expr) is { Success: true } labelValues) return [labelValues.Groups[1].Value];
        var stripped = Grouping().Replace(Ranges().Replace(Matchers().Replace(Strings().Replace(expr, ""), ""), ""), "");
        return [.. Identifiers().Matches(stripped).Select(m => m.Value).Where(name => !Keywords.Contains(name)).Distinct()];
    }

    [GeneratedRegex("""^\s*label_values\(\s*([a-zA-Z_:][\w:]*)""")] private static partial Regex LabelValues();
    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")] private static partial Regex Strings();
    [GeneratedRegex(@"\{[^}]*\}")] private static partial Regex Matchers();
    [GeneratedRegex(@"\[[^\]]*\]")] private static partial Regex Ranges();
    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")] private static partial Regex Grouping();
    // An identifier not followed by "(" (a function) and not part of a number.
    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][\w:]*\b(?!\s*\()")] private static partial Regex Identifiers();
}
