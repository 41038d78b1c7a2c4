using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Pipeline.Config;

namespace OneShotGee.Pipeline.Tests.Config;

public sealed class AllowedRootsTests : IDisposable
{
    readonly TempDirectory _dir = new();
    readonly string _models, _data, _outside;

    public AllowedRootsTests()
    {
        _models = Directory.CreateDirectory(Path.Combine(_dir.Path, "models")).FullName;
        _data = Directory.CreateDirectory(Path.Combine(_dir.Path, "data")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_dir.Path, "outside")).FullName;
    }

    public void Dispose() => _dir.Dispose();

    AllowedRoots Roots => new([_models], [_data], _dir.Path);

    static RunConfig WithData(string path) => new() { Data = new JsonObject { ["input_path"] = path, ["synthetic"] = null } };

    InvalidInputException Refused(RunConfig config, AllowedRoots? roots = null) =>
        Assert.Throws<InvalidInputException>(() => (roots ?? Roots).Check(config));

    [Fact]
    public void The_demo_model_and_built_in_data_need_no_roots()
    {
        new AllowedRoots([], [], _dir.Path).Check(new RunConfig());
    }

    [Fact]
    public void Locations_under_their_roots_are_allowed_as_paths_relative_paths_and_file_uris()
    {
        Roots.Check(new RunConfig { Model = Path.Combine(_models, "qwen") } with { Data = WithData("data/train.jsonl").Data });
        Roots.Check(WithData(new Uri(Path.Combine(_data, "a b.jsonl")).AbsoluteUri));
        Roots.Check(WithData(_data)); // the root itself
    }

    [Fact]
    public void The_checked_config_names_every_location_by_the_absolute_path_it_was_checked_as()
    {
        Directory.CreateSymbolicLink(Path.Combine(_outside, "into-data"), _data);
        var submitted = JsonSerializer.Deserialize<RunConfig>($$"""
            {
              "model": "models/qwen",
              "data": {"input_path": "data/train.jsonl", "synthetic": null, "text_column": "text"},
              "held_out": {"lexicon_path": "{{new Uri(Path.Combine(_data, "lexicon.json")).AbsoluteUri}}"},
              "evaluation": {"data_directory": "outside/into-data/eval", "device": "cpu"}
            }
            """, JsonOverlay.Json)!;
        var before = submitted.ToJson();

        var checkedConfig = Roots.Check(submitted);

        Assert.Equal(Path.Combine(_models, "qwen"), checkedConfig.Model);
        Assert.Equal(Path.Combine(_data, "train.jsonl"), (string?)checkedConfig.Data!["input_path"]);
        Assert.Equal("text", (string?)checkedConfig.Data!["text_column"]);
        Assert.Equal(Path.Combine(_data, "lexicon.json"), (string?)checkedConfig.HeldOut!["lexicon_path"]);
        Assert.Equal(Path.Combine(_data, "eval"), (string?)checkedConfig.Evaluation!["data_directory"]);
        Assert.Equal("cpu", (string?)checkedConfig.Evaluation!["device"]);
        Assert.Equal(before, submitted.ToJson());
        Assert.Equal(checkedConfig.ToJson(), Roots.Check(checkedConfig).ToJson()); // checking again changes nothing
    }

    [Fact]
    public void A_model_outside_the_model_roots_is_refused_naming_field_value_and_roots()
    {
        var model = Path.Combine(_data, "qwen"); // a data root is not a model root
        var error = Refused(new RunConfig { Model = model });
        Assert.Contains($"model '{model}'", error.Message);
        Assert.Contains(_models, error.Message);
        Assert.Contains("\"demo\"", error.Message);
    }

    [Theory]
    [InlineData("data/../outside/secret.jsonl")]
    [InlineData("data/sub/../../outside/secret.jsonl")]
    [InlineData("/etc/passwd")]
    [InlineData("data-evil/x.jsonl")] // shares the root's name as a prefix, not as a directory
    public void Paths_escaping_the_data_roots_are_refused(string path)
    {
        var error = Refused(WithData(path));
        Assert.Contains($"data.input_path '{path}'", error.Message);
        Assert.Contains(_data, error.Message);
    }

    [Fact]
    public void A_symbolic_link_inside_a_root_that_points_outside_is_refused()
    {
        File.WriteAllText(Path.Combine(_outside, "secret.jsonl"), "{}");
        Directory.CreateSymbolicLink(Path.Combine(_data, "escape"), _outside);
        File.CreateSymbolicLink(Path.Combine(_data, "file-link.jsonl"), Path.Combine(_outside, "secret.jsonl"));

        Assert.Contains($"resolved to '{Path.Combine(_outside, "secret.jsonl")}'", Refused(WithData("data/escape/secret.jsonl")).Message);
        Assert.Contains($"resolved to '{Path.Combine(_outside, "secret.jsonl")}'", Refused(WithData("data/file-link.jsonl")).Message);
    }

    [Fact]
    public void A_link_outside_that_points_into_a_root_and_a_root_that_is_a_link_are_followed()
    {
        Directory.CreateSymbolicLink(Path.Combine(_outside, "into-data"), _data);
        Roots.Check(WithData("outside/into-data/train.jsonl"));

        var linkedRoot = Path.Combine(_dir.Path, "linked-data");
        Directory.CreateSymbolicLink(linkedRoot, _data);
        new AllowedRoots([], [linkedRoot], _dir.Path).Check(WithData(Path.Combine(_data, "train.jsonl")));
    }

    [Fact]
    public void A_symbolic_link_loop_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_data, "loop"), Path.Combine(_data, "loop", "deeper"));
        Assert.Contains("symbolic links", Refused(WithData("data/loop/x.jsonl")).Message);
    }

    [Theory]
    [InlineData("https://example.com/train.jsonl", "https")]
    [InlineData("s3://bucket/train.jsonl", "s3")]
    [InlineData("dapr://artifacts/train.jsonl", "dapr")]
    public void Uris_with_other_schemes_are_refused(string uri, string scheme)
    {
        var error = Refused(WithData(uri));
        Assert.Contains($"data.input_path '{uri}'", error.Message);
        Assert.Contains($"scheme '{scheme}' is not allowed", error.Message);
    }

    [Fact]
    public void A_file_uri_naming_another_host_is_refused()
    {
        Assert.Contains("not a local file: URI", Refused(WithData("file://server/share/train.jsonl")).Message);
    }

    [Fact]
    public void With_no_data_roots_any_data_file_is_refused()
    {
        var error = Refused(WithData(Path.Combine(_data, "train.jsonl")), new AllowedRoots([_models], [], _dir.Path));
        Assert.Contains("none are configured", error.Message);
        Assert.Contains("built-in data", error.Message);
    }

    [Theory]
    [InlineData("held_out", "lexicon_path")]
    [InlineData("data", "attribute")] // a lexicon file given as the attribute
    [InlineData("evaluation", "paired_prompts")]
    [InlineData("evaluation", "attribute")]
    [InlineData("evaluation", "data_directory")]
    [InlineData("evaluation", "held_out_text")]
    [InlineData("evaluation", "gsm8k_path")]
    [InlineData("evaluation", "math500_path")]
    public void Every_section_s_data_files_are_checked(string section, string key)
    {
        var config = JsonSerializer.Deserialize<RunConfig>($"{{\"{section}\": {{\"{key}\": \"/etc/shadow\"}}}}", JsonOverlay.Json)!;
        Assert.Contains($"{section}.{key} '/etc/shadow'", Refused(config).Message);
    }

    /// <summary>A new file setting in the options records must be added to <see cref="ConfigPaths"/> (or named here as not a location to read).</summary>
    [Fact]
    public void Every_string_setting_of_the_prepare_and_evaluation_options_is_checked_or_known_not_to_be_read()
    {
        string[] Strings(Type type, params string[] notRead) => [.. type.GetProperties()
            .Where(p => p.PropertyType == typeof(string)).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .Except(notRead).Order()];

        // output_path: the prepare step sets it inside the run directory; attribute is checked when it names a file.
        Assert.Equal(ConfigPaths.PrepareKeys.Order(), Strings(typeof(PrepareOptions), "output_path", "text_column", "attribute"));
        var builtIn = JsonSerializer.Deserialize<RunConfig>("""{"data": {"attribute": "gender-nb"}}""", JsonOverlay.Json)!;
        Assert.Empty(ConfigPaths.Data(builtIn));
        Assert.Equal(ConfigPaths.EvaluationKeys.Order(), Strings(typeof(EvaluationOptions), "chat_template", "device", "dtype", "attribute"));
        var builtInEvaluation = JsonSerializer.Deserialize<RunConfig>("""{"evaluation": {"attribute": "religion"}}""", JsonOverlay.Json)!;
        Assert.Empty(ConfigPaths.Data(builtInEvaluation));
    }
}
