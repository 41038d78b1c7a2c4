using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Modeling.Tests.Tokenization;

/// <summary>tokenizer.json variants on a hand-made five-token vocabulary.</summary>
public sealed class TokenizerJsonTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("oneshotgee-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    static JsonObject TinyTokenizer(JsonNode merges) => new()
    {
        ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 5, ["content"] = "<bos>", ["special"] = true }),
        ["normalizer"] = null,
        ["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = @"\p{L}+|\s+" }, ["behavior"] = "Isolated", ["invert"] = false },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = false }),
        },
        ["post_processor"] = null,
        ["model"] = new JsonObject
        {
            ["type"] = "BPE",
            ["vocab"] = new JsonObject { ["a"] = 0, ["b"] = 1, ["c"] = 2, ["ab"] = 3, ["abc"] = 4, ["Ġ"] = 6 },
            ["merges"] = merges,
        },
    };

    ModelTokenizer Load(JsonObject tokenizerJson)
    {
        File.WriteAllText(Path.Combine(_directory, "tokenizer.json"), tokenizerJson.ToJsonString());
        return ModelTokenizer.FromDirectory(_directory);
    }

    [Fact]
    public void Merges_as_strings_and_as_pairs_mean_the_same()
    {
        // "a b" merges to "ab"; no merge makes "abc", so BPE stops at [ab, c].
        Assert.Equal([3, 2], Load(TinyTokenizer(new JsonArray("a b"))).Encode("abc"));
        Assert.Equal([3, 2], Load(TinyTokenizer(new JsonArray(new JsonArray("a", "b")))).Encode("abc"));
    }

    [Fact]
    public void Ignore_merges_takes_a_whole_vocabulary_word_as_it_is()
    {
        var json = TinyTokenizer(new JsonArray("a b"));
        json["model"]!["ignore_merges"] = true;
        // "abc" is in the vocabulary; "cab" is not and still goes through the merges: c + ab.
        Assert.Equal([4, 6, 2, 3], Load(json).Encode("abc cab"));
    }

    [Fact]
    public void Template_processing_adds_its_BOS()
    {
        var json = TinyTokenizer(new JsonArray("a b"));
        json["post_processor"] = JsonNode.Parse("""
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
             "special_tokens": {"<bos>": {"id": "<bos>", "ids": [5], "tokens": ["<bos>"]}}}
            """);
        var tokenizer = Load(json);

        Assert.Equal([5, 3], tokenizer.Encode("ab"));
        Assert.Equal([3], tokenizer.Encode("ab", addSpecialTokens: false));
        Assert.Equal(5, tokenizer.BosId);
        Assert.Equal(7, tokenizer.VocabSize);
    }

    [Fact]
    public void An_unsupported_normalizer_is_named()
    {
        var json = TinyTokenizer(new JsonArray("a b"));
        json["normalizer"] = new JsonObject { ["type"] = "Lowercase" };
        var error = Assert.Throws<InvalidInputException>(() => Load(json));
        Assert.Contains("Lowercase", error.Message);
        Assert.Contains("tokenizer.json", error.Message);
    }

    [Fact]
    public void Eos_ids_gather_tokenizer_config_generation_config_and_config()
    {
        File.WriteAllText(Path.Combine(_directory, "tokenizer_config.json"), """{"eos_token": {"content": "<bos>"}, "pad_token": "c"}""");
        File.WriteAllText(Path.Combine(_directory, "generation_config.json"), """{"eos_token_id": [1, 5]}""");
        File.WriteAllText(Path.Combine(_directory, "config.json"), """{"eos_token_id": 4}""");
        var tokenizer = Load(TinyTokenizer(new JsonArray("a b")));

        Assert.Equal([5, 1, 4], tokenizer.EosIds);
        Assert.Equal(2, tokenizer.PadId);
    }

    [Fact]
    public void A_directory_without_tokenizer_files_names_them()
    {
        var error = Assert.Throws<InvalidInputException>(() => ModelTokenizer.FromDirectory(_directory));
        Assert.Contains(_directory, error.Message);
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("tokenizer.model", error.Message);
    }
}
