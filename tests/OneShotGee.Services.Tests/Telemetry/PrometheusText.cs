using System.Globalization;
using System.Text;

namespace OneShotGee.Services.Tests.Telemetry;

/// <summary>A Prometheus text-format scrape (version 0.0.4) read into its metric families and samples.</summary>
public sealed class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public bool Has(string label, string value) => Labels.TryGetValue(label, out var v) && v == value;
    }

    /// <summary>Family name → type (counter, gauge, histogram, …) from the <c># TYPE</c> lines.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }
    public IReadOnlyList<Sample> Samples { get; }

    PrometheusText(IReadOnlyDictionary<string, string> types, IReadOnlyList<Sample> samples) => (Types, Samples) = (types, samples);

    /// <summary>Samples of a series name (a family, or one of a histogram's <c>_bucket/_sum/_count</c>).</summary>
    public IReadOnlyList<Sample> Of(string name) => [.. Samples.Where(s => s.Name == name)];

    /// <summary>The name of every series the scrape holds, histogram parts included.</summary>
    public IReadOnlySet<string> SeriesNames => Samples.Select(s => s.Name).ToHashSet();

    public static PrometheusText Parse(string text)
    {
        var types = new Dictionary<string, string>();
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
            }
            else if (!line.StartsWith('#')) samples.Add(ParseSample(line));
        }
        return new PrometheusText(types, samples);
    }

    // name{a="x",b="y"} value [timestamp]; label values escape \\, \" and \n.
    static Sample ParseSample(string line)
    {
        var labels = new Dictionary<string, string>();
        var i = line.IndexOfAny(['{', ' ']);
        var name = line[..i];
        if (line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var key = line[i..eq].TrimStart(',');
                var value = new StringBuilder();
                for (i = eq + 2; line[i] != '"'; i++)
                    value.Append(line[i] == '\\' ? line[++i] switch { 'n' => '\n', var c => c } : line[i]);
                labels[key] = value.ToString();
                i++;
                if (line[i] == ',') i++;
            }
            i++;
        }
        var value0 = line[i..].Trim().Split(' ')[0];
        return new Sample(name, labels, double.Parse(value0, NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}
