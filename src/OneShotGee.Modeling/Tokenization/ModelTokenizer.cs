using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// The tokenizer of a Hugging Face model directory: byte-level BPE from tokenizer.json (Qwen2/2.5/3, Llama 3) or
/// SentencePiece BPE from tokenizer.model (Llama 2 family), with the special ids its config files name.
/// </summary>
public abstract class ModelTokenizer
{
    protected ModelTokenizer(TokenizerConfig config, Func<string, int?> idOf, int? ownBosId)
    {
        BosId = (config.BosToken is { } bos ? idOf(bos) : null) ?? ownBosId;
        EosIds = (config.EosToken is { } eos && idOf(eos) is { } eosId ? [eosId] : Array.Empty<int>())
            .Concat(config.ConfigEosIds).Distinct().ToList();
        PadId = config.PadToken is { } pad ? idOf(pad) : null;
        ChatTemplateText = config.ChatTemplate;
        SpecialIds = new HashSet<int>(config.SpecialAddedTokens.Keys.Concat(EosIds)
            .Concat(new[] { BosId, PadId }.OfType<int>()));
    }

    /// <summary>The beginning-of-sequence id: tokenizer_config.json's bos_token, else the one the tokenizer adds itself.</summary>
    public int? BosId { get; }

    /// <summary>Ids that end generation: tokenizer_config.json's eos_token, then generation_config.json's and config.json's eos_token_id.</summary>
    public IReadOnlyList<int> EosIds { get; }

    public int? PadId { get; }

    /// <summary>The Jinja chat template text of tokenizer_config.json, if any (see <see cref="ChatTemplate.Resolve"/>).</summary>
    public string? ChatTemplateText { get; }

    /// <summary>One more than the largest token id, added tokens included.</summary>
    public abstract int VocabSize { get; }

    /// <summary>Ids that <see cref="Decode"/> leaves out when asked to skip special tokens.</summary>
    protected HashSet<int> SpecialIds { get; }

    /// <summary>Encodes as Hugging Face does by default: with the special tokens the model's tokenizer adds (BOS for Llama 2 and Llama 3, none for Qwen).</summary>
    public IReadOnlyList<int> Encode(string text) => Encode(text, addSpecialTokens: true);

    /// <summary>Special-token text in <paramref name="text"/> (e.g. <c>&lt;|im_start|&gt;</c>) always becomes its id.</summary>
    public abstract IReadOnlyList<int> Encode(string text, bool addSpecialTokens);

    public abstract string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of a token string (vocabulary entry or special token), or null.</summary>
    public abstract int? TokenToId(string token);

    /// <summary>Loads tokenizer.json when it holds a byte-level BPE, else tokenizer.model.</summary>
    public static ModelTokenizer FromDirectory(string modelDir)
    {
        var jsonPath = Path.Combine(modelDir, "tokenizer.json");
        var modelPath = Path.Combine(modelDir, "tokenizer.model");
        if (!File.Exists(jsonPath) && !File.Exists(modelPath))
            throw new InvalidInputException(
                $"no tokenizer in '{modelDir}': expected tokenizer.json (byte-level BPE) or tokenizer.model (SentencePiece)");

        var config = TokenizerConfig.Read(modelDir);
        if (File.Exists(jsonPath))
        {
            using var document = ParseJson(jsonPath);
            if (TokenizerJson.IsByteLevel(document.RootElement) || !File.Exists(modelPath))
                return ByteLevelBpeTokenizer.Load(document.RootElement, jsonPath, config);
        }
        return LlamaSentencePieceTokenizer.Load(modelPath, config);
    }

    static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
