using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneShotGee.Training.DemoModel;

/// <summary>
/// Writes a <see cref="BpeVocabulary"/> as a Qwen2-style Hugging Face tokenizer: tokenizer.json (byte-level BPE,
/// Qwen2's Split regex, NFC) and tokenizer_config.json. The one added token, <c>&lt;|endoftext|&gt;</c>, ends
/// documents and pads batches, as in Qwen2 base models; there is no BOS and no chat template (a base model).
/// </summary>
public static class DemoTokenizerFiles
{
    public const string EndOfText = "<|endoftext|>";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The id of <see cref="EndOfText"/>, right after the vocabulary.</summary>
    public static int EndOfTextId(BpeVocabulary vocabulary) => vocabulary.Tokens.Count;

    /// <summary>Number of ids, the end-of-text token included (the model's vocab_size).</summary>
    public static int VocabSize(BpeVocabulary vocabulary) => vocabulary.Tokens.Count + 1;

    public static void Write(string directory, BpeVocabulary vocabulary, int modelMaxLength)
    {
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), TokenizerJson(vocabulary).ToJsonString(Indented));
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), TokenizerConfig(vocabulary, modelMaxLength).ToJsonString(Indented));
    }

    static JsonObject TokenizerJson(BpeVocabulary vocabulary)
    {
        var vocab = new JsonObject();
        for (var id = 0; id < vocabulary.Tokens.Count; id++) vocab[vocabulary.Tokens[id]] = id;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(AddedToken(EndOfTextId(vocabulary))),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = ByteLevelBpeTrainer.SplitPattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    ByteLevel()),
            },
            ["post_processor"] = ByteLevel(),
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. vocabulary.Merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right))]),
            },
        };
    }

    static JsonObject TokenizerConfig(BpeVocabulary vocabulary, int modelMaxLength) => new()
    {
        ["add_bos_token"] = false,
        ["add_prefix_space"] = false,
        ["added_tokens_decoder"] = new JsonObject { [EndOfTextId(vocabulary).ToString(CultureInfo.InvariantCulture)] = AddedToken(id: null) },
        ["bos_token"] = null,
        ["clean_up_tokenization_spaces"] = false,
        ["eos_token"] = EndOfText,
        ["errors"] = "replace",
        ["model_max_length"] = modelMaxLength,
        ["pad_token"] = EndOfText,
        ["split_special_tokens"] = false,
        ["tokenizer_class"] = "Qwen2Tokenizer",
        ["unk_token"] = null,
    };

    // tokenizer.json lists added tokens with their id; tokenizer_config.json keys them by id.
    static JsonObject AddedToken(int? id)
    {
        var token = new JsonObject
        {
            ["content"] = EndOfText,
            ["single_word"] = false,
            ["lstrip"] = false,
            ["rstrip"] = false,
            ["normalized"] = false,
            ["special"] = true,
        };
        if (id is { } value) token.Insert(0, "id", value);
        return token;
    }

    static JsonObject ByteLevel() => new()
    {
        ["type"] = "ByteLevel",
        ["add_prefix_space"] = false,
        ["trim_offsets"] = false,
        ["use_regex"] = false,
    };
}
