using System.Globalization;
using System.Text.RegularExpressions;

namespace OneShotGee.Tests;

/// <summary>Go durations as Dapr reads them from annotations and resources (Go's time.ParseDuration): 310s, 5m10s, 1.5h, 500ms.</summary>
public static class GoDuration
{
    public static TimeSpan Parse(string text)
    {
        var parts = Regex.Matches(text, @"(\d+(?:\.\d+)?)(ms|h|m|s)");
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
            throw new FormatException($"'{text}' is not a Go duration of h, m, s and ms");
        return parts.Aggregate(TimeSpan.Zero, (sum, p) =>
        {
            var value = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
            return sum + p.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                _ => TimeSpan.FromMilliseconds(value),
            };
        });
    }
}
