using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>A tokenizer.json byte-level BPE (Qwen2/2.5/3, Llama 3) behind the <see cref="ModelTokenizer"/> facade.</summary>
public sealed class ByteLevelBpeTokenizer : ModelTokenizer
{
    static readonly char[] ByteToChar = BytesToUnicode();

    readonly TokenizerJson _json;
    readonly IReadOnlyDictionary<string, int> _vocab;

    ByteLevelBpeTokenizer(TokenizerJson json, IReadOnlyDictionary<string, int> vocab, TokenizerConfig config)
        : base(config with { SpecialAddedTokens = SpecialTokensOf(json, config) }, token => IdOf(json, vocab, token),
               json.PrefixIds.Count > 0 ? json.PrefixIds[0] : null)
    {
        _json = json;
        _vocab = vocab;
        VocabSize = Math.Max(vocab.Values.Max(), json.AddedTokens.Values.DefaultIfEmpty(-1).Max()) + 1;
    }

    public static ByteLevelBpeTokenizer Load(JsonElement root, string path, TokenizerConfig config)
    {
        var json = TokenizerJson.Read(root, path);
        return new ByteLevelBpeTokenizer(json, json.Bpe.Vocabulary, config);
    }

    /// <summary>The underlying Microsoft.ML.Tokenizers tokenizer (its pre-tokenizer and normalizer included).</summary>
    public BpeTokenizer Bpe => _json.Bpe;

    public override int VocabSize { get; }

    public override IReadOnlyList<int> Encode(string text, bool addSpecialTokens)
    {
        var ids = new List<int>();
        if (addSpecialTokens) ids.AddRange(_json.PrefixIds);
        ids.AddRange(_json.IgnoreMerges ? EncodeIgnoringMerges(text) : _json.Bpe.EncodeToIds(text));
        if (addSpecialTokens) ids.AddRange(_json.SuffixIds);
        return ids;
    }

    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false) =>
        _json.Bpe.Decode(skipSpecialTokens ? ids.Where(id => !SpecialIds.Contains(id)) : ids, considerSpecialTokens: true);

    public override int? TokenToId(string token) => IdOf(_json, _vocab, token);

    // HF BPE with ignore_merges (Llama 3): a pre-token that is itself a vocabulary entry is emitted whole, even
    // where the merges would split it.
    List<int> EncodeIgnoringMerges(string text)
    {
        var normalized = _json.Bpe.Normalizer?.Normalize(text) ?? text;
        var ids = new List<int>();
        foreach (var (offset, length) in _json.Bpe.PreTokenizer!.PreTokenize(normalized))
        {
            var piece = normalized.Substring(offset, length);
            if (_json.AddedTokens.TryGetValue(piece, out var id) || _vocab.TryGetValue(ByteLevelForm(piece), out id))
                ids.Add(id);
            else
                ids.AddRange(_json.Bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
        }
        return ids;
    }

    /// <summary>The vocabulary form of a text piece: each UTF-8 byte as its GPT-2 byte-level character (space → Ġ).</summary>
    public static string ByteLevelForm(string piece)
    {
        var bytes = Encoding.UTF8.GetBytes(piece);
        return string.Create(bytes.Length, bytes, (chars, b) => { for (var i = 0; i < b.Length; i++) chars[i] = ByteToChar[b[i]]; });
    }

    /// <summary>The vocabulary character that stands for one byte (GPT-2's bytes_to_unicode).</summary>
    public static char ByteLevelChar(byte b) => ByteToChar[b];

    // GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the others for U+0100 onwards.
    static char[] BytesToUnicode()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
            map[b] = (b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF) ? (char)b : (char)next++;
        return map;
    }

    static int? IdOf(TokenizerJson json, IReadOnlyDictionary<string, int> vocab, string token) =>
        json.AddedTokens.TryGetValue(token, out var id) || vocab.TryGetValue(token, out id) ? id : null;

    static IReadOnlyDictionary<int, string> SpecialTokensOf(TokenizerJson json, TokenizerConfig config)
    {
        var special = new Dictionary<int, string>(config.SpecialAddedTokens);
        foreach (var (content, id) in json.AddedTokens)
            if (json.SpecialAddedIds.Contains(id)) special[id] = content;
        return special;
    }
}
