using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// What a Hugging Face model directory says about its tokenizer besides the vocabulary: tokenizer_config.json
/// (special token strings, add_bos_token, chat_template), and the eos ids of generation_config.json and config.json.
/// Every file is optional.
/// </summary>
public sealed record TokenizerConfig(
    string? BosToken,
    string? EosToken,
    string? PadToken,
    bool? AddBosToken,
    bool? AddEosToken,
    string? ChatTemplate,
    IReadOnlyDictionary<int, string> SpecialAddedTokens,
    IReadOnlyList<int> ConfigEosIds)
{
    public static TokenizerConfig Read(string modelDir)
    {
        var tokenizerConfig = ReadJson(Path.Combine(modelDir, "tokenizer_config.json"));
        var eosIds = new List<int>();
        foreach (var file in new[] { "generation_config.json", "config.json" })
            if (ReadJson(Path.Combine(modelDir, file)) is { } json && json.TryGetProperty("eos_token_id", out var eos))
                eosIds.AddRange(IdsOf(eos, Path.Combine(modelDir, file)));

        if (tokenizerConfig is not { } config)
            return new TokenizerConfig(null, null, null, null, null, null, new Dictionary<int, string>(), eosIds);
        var path = Path.Combine(modelDir, "tokenizer_config.json");
        return new TokenizerConfig(
            TokenText(config, "bos_token"), TokenText(config, "eos_token"), TokenText(config, "pad_token"),
            Bool(config, "add_bos_token"), Bool(config, "add_eos_token"),
            ChatTemplateOf(config, path), SpecialAddedTokensOf(config, path), eosIds);
    }

    static JsonElement? ReadJson(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    // eos_token_id is an int or a list of ints (Llama 3, Qwen2.5 generation_config).
    static IEnumerable<int> IdsOf(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.Number => [value.GetInt32()],
        JsonValueKind.Array => value.EnumerateArray().Select(v => v.GetInt32()).ToList(),
        JsonValueKind.Null => [],
        _ => throw new InvalidInputException($"{path}: eos_token_id must be an integer or a list of integers"),
    };

    // A token is a string, or an AddedToken object {"content": ...}, or null.
    static string? TokenText(JsonElement config, string name) =>
        !config.TryGetProperty(name, out var token) ? null
        : token.ValueKind == JsonValueKind.String ? token.GetString()
        : token.ValueKind == JsonValueKind.Object && token.TryGetProperty("content", out var content) ? content.GetString()
        : null;

    static bool? Bool(JsonElement config, string name) =>
        config.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean() : null;

    // chat_template is a string, or a list of {"name", "template"} of which "default" is the chat template.
    static string? ChatTemplateOf(JsonElement config, string path)
    {
        if (!config.TryGetProperty("chat_template", out var template)) return null;
        return template.ValueKind switch
        {
            JsonValueKind.String => template.GetString(),
            JsonValueKind.Null => null,
            JsonValueKind.Array => template.EnumerateArray()
                .Where(t => t.TryGetProperty("name", out var n) && n.GetString() == "default")
                .Select(t => t.GetProperty("template").GetString()).FirstOrDefault(),
            _ => throw new InvalidInputException($"{path}: chat_template must be a string or a list of named templates"),
        };
    }

    static Dictionary<int, string> SpecialAddedTokensOf(JsonElement config, string path)
    {
        var tokens = new Dictionary<int, string>();
        if (!config.TryGetProperty("added_tokens_decoder", out var decoder) || decoder.ValueKind != JsonValueKind.Object)
            return tokens;
        foreach (var entry in decoder.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, out var id))
                throw new InvalidInputException($"{path}: added_tokens_decoder key '{entry.Name}' is not a token id");
            if (entry.Value.TryGetProperty("special", out var special) && special.ValueKind == JsonValueKind.True)
                tokens[id] = entry.Value.GetProperty("content").GetString()!;
        }
        return tokens;
    }
}
