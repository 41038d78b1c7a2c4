using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using OneShotGee.Core;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// A byte-level BPE read from Hugging Face's tokenizer.json, built as Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>
/// (which has no tokenizer.json loader): vocab, merges (<c>"a b"</c> or <c>["a","b"]</c>), every added token as a
/// special token, the NFC normalizer, the Split regex applied per scalar value, and the ids TemplateProcessing adds.
/// </summary>
public sealed record TokenizerJson(
    BpeTokenizer Bpe,
    IReadOnlyDictionary<string, int> AddedTokens,
    IReadOnlyList<int> SpecialAddedIds,
    IReadOnlyList<int> PrefixIds,
    IReadOnlyList<int> SuffixIds,
    bool IgnoreMerges)
{
    /// <summary>Whether the pre-tokenizer maps bytes to characters (GPT-2 style), rather than SentencePiece-style BPE.</summary>
    public static bool IsByteLevel(JsonElement root) =>
        root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind == JsonValueKind.Object
        && Steps(pre).Any(s => TypeOf(s) == "ByteLevel");

    public static TokenizerJson Read(JsonElement root, string path)
    {
        try
        {
            return ReadBpe(root, path);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidInputException($"{path}: malformed tokenizer.json ({e.Message})", e);
        }
    }

    static TokenizerJson ReadBpe(JsonElement root, string path)
    {
        var model = Required(root, "model", path);
        if (TypeOf(model) != "BPE")
            throw new InvalidInputException($"{path}: model.type '{TypeOf(model)}' is not supported (expected BPE)");
        if (model.TryGetProperty("byte_fallback", out var byteFallback) && byteFallback.ValueKind == JsonValueKind.True)
            throw new InvalidInputException($"{path}: model.byte_fallback = true (SentencePiece-style BPE) is not supported; use tokenizer.model");

        var (addedTokens, specialAddedIds) = ReadAddedTokens(root, path);
        var specialTokens = new SpecialTokenSplitter(addedTokens.Keys);
        var options = new BpeOptions(ReadVocab(model, path))
        {
            Merges = ReadMerges(model, path),
            SpecialTokens = addedTokens,
            ByteLevel = true,
            Normalizer = ReadNormalizer(root, path, specialTokens),
            PreTokenizer = CreatePreTokenizer(ReadSplitPattern(root, path), specialTokens, path),
            UnknownToken = StringOf(model, "unk_token"),
            ContinuingSubwordPrefix = NullIfEmpty(StringOf(model, "continuing_subword_prefix")),
            EndOfWordSuffix = NullIfEmpty(StringOf(model, "end_of_word_suffix")),
            FuseUnknownTokens = model.TryGetProperty("fuse_unk", out var fuse) && fuse.ValueKind == JsonValueKind.True,
        };
        var (prefix, suffix) = ReadTemplateIds(root, path);
        var ignoreMerges = model.TryGetProperty("ignore_merges", out var ignore) && ignore.ValueKind == JsonValueKind.True;
        return new TokenizerJson(BpeTokenizer.Create(options), addedTokens, specialAddedIds, prefix, suffix, ignoreMerges);
    }

    static List<KeyValuePair<string, int>> ReadVocab(JsonElement model, string path)
    {
        var vocab = Required(model, "vocab", path, "model.");
        if (vocab.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException($"{path}: model.vocab must be an object of token -> id");
        return vocab.EnumerateObject().Select(p => new KeyValuePair<string, int>(p.Name, p.Value.GetInt32())).ToList();
    }

    // Older files write a merge as "a b", newer ones as ["a", "b"]; byte-level tokens never contain a space.
    static List<string> ReadMerges(JsonElement model, string path)
    {
        if (!model.TryGetProperty("merges", out var merges)) return [];
        return merges.EnumerateArray().Select(merge => merge.ValueKind switch
        {
            JsonValueKind.String => merge.GetString()!,
            JsonValueKind.Array when merge.GetArrayLength() == 2 => $"{merge[0].GetString()} {merge[1].GetString()}",
            _ => throw new InvalidInputException($"{path}: model.merges entry {merge} is neither \"a b\" nor [\"a\", \"b\"]"),
        }).ToList();
    }

    static (Dictionary<string, int> Tokens, List<int> SpecialIds) ReadAddedTokens(JsonElement root, string path)
    {
        var tokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var specialIds = new List<int>();
        if (!root.TryGetProperty("added_tokens", out var added) || added.ValueKind != JsonValueKind.Array)
            return (tokens, specialIds);
        foreach (var token in added.EnumerateArray())
        {
            var content = token.GetProperty("content").GetString()!;
            foreach (var flag in new[] { "lstrip", "rstrip", "single_word" })
                if (token.TryGetProperty(flag, out var value) && value.ValueKind == JsonValueKind.True)
                    throw new InvalidInputException($"{path}: added token '{content}' sets {flag}, which is not supported");
            var id = token.GetProperty("id").GetInt32();
            tokens[content] = id;
            if (token.TryGetProperty("special", out var special) && special.ValueKind == JsonValueKind.True)
                specialIds.Add(id);
        }
        return (tokens, specialIds);
    }

    static Normalizer? ReadNormalizer(JsonElement root, string path, SpecialTokenSplitter specialTokens)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null) return null;
        return TypeOf(normalizer) == "NFC" ? new NfcNormalizer(specialTokens)
            : throw new InvalidInputException($"{path}: normalizer '{TypeOf(normalizer)}' is not supported (expected NFC or null)");
    }

    // Supported: Sequence[Split(regex, Isolated), ByteLevel(use_regex = false)] (Qwen2, Llama 3), or a lone
    // ByteLevel(use_regex = true), which splits with GPT-2's rules; never add_prefix_space.
    static string ReadSplitPattern(JsonElement root, string path)
    {
        var steps = Steps(Required(root, "pre_tokenizer", path)).ToList();
        var patterns = new List<string>();
        foreach (var step in steps)
        {
            switch (TypeOf(step))
            {
                case "Split":
                    if (StringOf(step, "behavior") != "Isolated" || (step.TryGetProperty("invert", out var invert) && invert.ValueKind == JsonValueKind.True))
                        throw new InvalidInputException($"{path}: pre_tokenizer Split must have behavior Isolated and invert false");
                    var pattern = step.GetProperty("pattern");
                    patterns.Add(pattern.TryGetProperty("Regex", out var regex) ? regex.GetString()!
                        : Regex.Escape(pattern.GetProperty("String").GetString()!));
                    break;
                case "ByteLevel":
                    if (step.TryGetProperty("add_prefix_space", out var prefixSpace) && prefixSpace.ValueKind == JsonValueKind.True)
                        throw new InvalidInputException($"{path}: pre_tokenizer ByteLevel add_prefix_space = true is not supported");
                    if (!step.TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind == JsonValueKind.True)
                        patterns.Add(ScalarValueRegexPreTokenizer.Gpt2Pattern);
                    break;
                default:
                    throw new InvalidInputException($"{path}: pre_tokenizer '{TypeOf(step)}' is not supported (expected Split and ByteLevel)");
            }
        }
        return patterns.Count == 1 && TypeOf(steps[^1]) == "ByteLevel" ? patterns[0]
            : throw new InvalidInputException($"{path}: pre_tokenizer must be one split rule followed by ByteLevel");
    }

    static ScalarValueRegexPreTokenizer CreatePreTokenizer(string pattern, SpecialTokenSplitter specialTokens, string path)
    {
        try
        {
            return new ScalarValueRegexPreTokenizer(pattern, specialTokens);
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException($"{path}: pre_tokenizer split pattern is not supported: {e.Message}", e);
        }
    }

    // TemplateProcessing "single": special tokens before $A are the prefix (Llama 3's <|begin_of_text|>), after it the suffix.
    static (List<int> Prefix, List<int> Suffix) ReadTemplateIds(JsonElement root, string path)
    {
        List<int> prefix = [], suffix = [];
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind == JsonValueKind.Null) return (prefix, suffix);
        foreach (var step in Steps(post))
        {
            if (TypeOf(step) == "ByteLevel") continue;
            if (TypeOf(step) != "TemplateProcessing")
                throw new InvalidInputException($"{path}: post_processor '{TypeOf(step)}' is not supported (expected ByteLevel or TemplateProcessing)");
            var specialTokens = step.GetProperty("special_tokens");
            var seenSequence = false;
            foreach (var piece in step.GetProperty("single").EnumerateArray())
            {
                if (piece.TryGetProperty("Sequence", out _)) { seenSequence = true; continue; }
                var name = piece.GetProperty("SpecialToken").GetProperty("id").GetString()!;
                var ids = specialTokens.GetProperty(name).GetProperty("ids").EnumerateArray().Select(i => i.GetInt32());
                (seenSequence ? suffix : prefix).AddRange(ids);
            }
        }
        return (prefix, suffix);
    }

    static IEnumerable<JsonElement> Steps(JsonElement component) => TypeOf(component) == "Sequence"
        ? (component.TryGetProperty("pretokenizers", out var pre) ? pre : component.GetProperty("processors")).EnumerateArray()
        : [component];

    static string? TypeOf(JsonElement component) => StringOf(component, "type");

    static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    static JsonElement Required(JsonElement element, string name, string path, string parent = "") =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value : throw new InvalidInputException($"{path}: {parent}{name} is missing");
}
