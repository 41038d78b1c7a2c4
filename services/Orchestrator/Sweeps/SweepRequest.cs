using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.State;

using Point = System.Collections.Generic.IReadOnlyList<(string Key, System.Text.Json.Nodes.JsonNode Value)>;

namespace OneShotGee.Orchestrator.Sweeps;

/// <summary>
/// <c>POST /sweeps</c>: a base run config and the axes to sweep. Every combination of the given <c>lambda</c>,
/// <c>kl_coef</c>, <c>penalty</c> (l1, l2) and <c>seed</c> values is one child run: the base config with the point's values in its
/// <c>train</c> section and a single variant named after the point (the base's variants are replaced).
/// </summary>
public sealed record SweepRequest
{
    public const int MaxPoints = 64, MaxParallelLimit = 16;

    public string? SweepId { get; init; }
    public RunConfig Base { get; init; } = new();
    public IReadOnlyList<double> Lambda { get; init; } = [];
    public IReadOnlyList<double> KlCoef { get; init; } = [];
    public IReadOnlyList<string> Penalty { get; init; } = [];
    public IReadOnlyList<int> Seed { get; init; } = [];
    public int MaxParallel { get; init; } = 2;

    /// <summary>
    /// The sweep id (given, or from the hash of the request as it is, so expand it after its locations are made
    /// absolute) and one child run per point, in axis order.
    /// </summary>
    public GeeSweepInput Expand()
    {
        var sweepId = RunRecord.ValidateRunId(SweepId ?? $"sweep-{ContentSha256()[..12]}");
        // Child run ids are "<sweep id>-<k>" and must be run ids themselves.
        if (sweepId.Length > RunRecord.MaxRunIdLength - 3)
            throw new InvalidInputException($"sweep_id '{sweepId}' is too long: at most {RunRecord.MaxRunIdLength - 3} characters");
        if (MaxParallel is < 1 or > MaxParallelLimit)
            throw new InvalidInputException($"max_parallel {MaxParallel} must be from 1 to {MaxParallelLimit}");
        if (Lambda.Count + KlCoef.Count + Penalty.Count + Seed.Count == 0)
            throw new InvalidInputException("a sweep needs at least one of 'lambda', 'kl_coef', 'penalty' and 'seed' with values");
        IEnumerable<Point> points = [[]];
        points = Extend(points, "lambda", Lambda.Select(l => JsonValue.Create(l)));
        points = Extend(points, "kl_coef", KlCoef.Select(b => JsonValue.Create(b)));
        points = Extend(points, "penalty", Penalty.Select(p => JsonValue.Create(p)));
        points = Extend(points, "seed", Seed.Select(s => JsonValue.Create(s)));
        var expanded = points.ToList();
        if (expanded.Count > MaxPoints)
            throw new InvalidInputException($"the sweep has {expanded.Count} points; at most {MaxPoints} are allowed");
        var runs = expanded.Select((point, k) =>
        {
            var train = (JsonObject?)Base.Train?.DeepClone() ?? [];
            foreach (var (key, value) in point) train[key] = value.DeepClone();
            var name = string.Join("-", ["gee", .. point.Select(p => $"{p.Key}{Format(p.Value)}")]);
            var config = Base with { RunId = $"{sweepId}-{k}", Train = train, Variants = [new JsonObject { ["name"] = name }] };
            return new GeeRunInput(config.RunId!, config.ToJson());
        }).ToList();
        return new GeeSweepInput(sweepId, runs, MaxParallel);
    }

    string ContentSha256() => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this, JsonOverlay.Json)));

    /// <summary>Each point once per value of the axis; an empty axis leaves the points (and the setting) as they are.</summary>
    static IEnumerable<Point> Extend(IEnumerable<Point> points, string key, IEnumerable<JsonNode> values) =>
        !values.Any() ? points : points.SelectMany(p => values.Select(v => (Point)p.Append((key, v)).ToList()));

    static string Format(JsonNode value) =>
        value is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString(CultureInfo.InvariantCulture) : value.ToString();
}
