using System.Text.Json.Nodes;
using OneShotGee.Data;

namespace OneShotGee.Pipeline.Config;

/// <summary>A file system location named in a run config: where (e.g. <c>data.input_path</c>) and what was written there.</summary>
public sealed record ConfigPath(string Field, string Value);

/// <summary>
/// The locations a run config makes a run read: the model, and the data files of <c>data</c>, <c>held_out</c> and
/// <c>evaluation</c>. Output locations and the train section's paths are not listed: the pipeline steps set them inside
/// the run directory, whatever the config says.
/// </summary>
public static class ConfigPaths
{
    /// <summary>PrepareOptions settings that name files to read (snake_case, as in run.json); <c>attribute</c> too when
    /// it names a lexicon file rather than a built-in lexicon (<see cref="Lexicon.NamesFile"/>).</summary>
    public static IReadOnlyList<string> PrepareKeys { get; } = ["input_path", "lexicon_path"];

    const string AttributeKey = "attribute";

    /// <summary>EvaluationOptions settings that name files or directories to read; <c>attribute</c> too when it names a lexicon file.</summary>
    public static IReadOnlyList<string> EvaluationKeys { get; } = ["data_directory", "paired_prompts", "held_out_text", "gendered_text", "task_path", "gsm8k_path", "math500_path"];

    /// <summary>The model unless it is the built-in demo model.</summary>
    public static ConfigPath? Model(RunConfig config) => config.Model == DemoModel ? null : new ConfigPath(ModelField, config.Model);

    public const string DemoModel = "demo", ModelField = "model";

    public static IEnumerable<ConfigPath> Data(RunConfig config) =>
    [
        .. Prepare(config.Data, "data"),
        .. Prepare(config.HeldOut, "held_out"),
        .. Evaluation(config.Evaluation, "evaluation"),
    ];

    /// <summary>A copy of the config with each of its locations (<see cref="Model"/>, then <see cref="Data"/>) replaced by <paramref name="map"/>'s answer.</summary>
    public static RunConfig Map(RunConfig config, Func<ConfigPath, string> map) => config with
    {
        Model = Model(config) is { } model ? map(model) : config.Model,
        Data = Map(config.Data, "data", Prepare, map),
        HeldOut = Map(config.HeldOut, "held_out", Prepare, map),
        Evaluation = Map(config.Evaluation, "evaluation", Evaluation, map),
    };

    static JsonObject? Map(JsonObject? section, string name, Func<JsonObject?, string, IEnumerable<ConfigPath>> paths, Func<ConfigPath, string> map)
    {
        if (section?.DeepClone() is not JsonObject copy) return null;
        foreach (var path in paths(copy, name).ToList()) copy[path.Field[(name.Length + 1)..]] = map(path);
        return copy;
    }

    static IEnumerable<ConfigPath> Prepare(JsonObject? section, string name) => In(section, name, PrepareKeys).Concat(LexiconFile(section, name));

    static IEnumerable<ConfigPath> Evaluation(JsonObject? section, string name) => In(section, name, EvaluationKeys).Concat(LexiconFile(section, name));

    static IEnumerable<ConfigPath> LexiconFile(JsonObject? section, string name) =>
        In(section, name, [AttributeKey]).Where(p => Lexicon.NamesFile(p.Value));

    static IEnumerable<ConfigPath> In(JsonObject? section, string name, IReadOnlyList<string> keys) =>
        keys.Select(key => (key, value: section?[key]))
            .Where(p => p.value is JsonValue v && v.TryGetValue<string>(out _))
            .Select(p => new ConfigPath($"{name}.{p.key}", p.value!.GetValue<string>()));
}
