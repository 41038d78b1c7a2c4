using Microsoft.ML.Tokenizers;
using OneShotGee.Core;
using SentencePieceModel = Microsoft.ML.Tokenizers.SentencePieceTokenizer;

namespace OneShotGee.Modeling.Tokenization;

/// <summary>
/// A tokenizer.model SentencePiece BPE (Llama 2 family) encoding as llama2.c's run.c does: the dummy-prefix space
/// before non-empty text, every space kept (no collapsing of runs, no trimming), bytes for unknown characters.
/// Special-token text such as <c>&lt;s&gt;</c> becomes its id and each text run between such tokens gets its own
/// dummy prefix, as Hugging Face's legacy Llama tokenizer does.
/// </summary>
public sealed class LlamaSentencePieceTokenizer : ModelTokenizer
{
    const char SpaceMarker = '\u2581'; // SentencePiece's "▁"

    readonly SentencePieceModel _model;
    readonly Dictionary<string, int> _specialTokenIds;
    readonly SpecialTokenSplitter _specialTokens;
    readonly bool _addBos, _addEos;

    LlamaSentencePieceTokenizer(SentencePieceModel model, TokenizerConfig config)
        : base(config with { SpecialAddedTokens = SpecialTokensOf(model, config) }, token => IdOf(model, config, token),
               model.BeginningOfSentenceId)
    {
        _model = model;
        _specialTokenIds = SpecialTokensOf(model, config).ToDictionary(t => t.Value, t => t.Key);
        _specialTokens = new SpecialTokenSplitter(_specialTokenIds.Keys);
        _addBos = config.AddBosToken ?? true; // HF LlamaTokenizer's default
        _addEos = config.AddEosToken ?? false;
        VocabSize = model.Vocabulary.Values.Max() + 1;
    }

    public static LlamaSentencePieceTokenizer Load(string path, TokenizerConfig config)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return new LlamaSentencePieceTokenizer(LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false), config);
        }
        catch (Exception e) when (e is not InvalidInputException and not IOException)
        {
            throw new InvalidInputException($"{path} is not a SentencePiece BPE model: {e.Message}", e);
        }
    }

    public override int VocabSize { get; }

    public override IReadOnlyList<int> Encode(string text, bool addSpecialTokens)
    {
        var ids = new List<int>();
        if (addSpecialTokens && _addBos) ids.Add(_model.BeginningOfSentenceId);
        foreach (var (offset, length, isSpecial) in _specialTokens.Split(text))
        {
            var piece = text.Substring(offset, length);
            if (isSpecial) ids.Add(_specialTokenIds[piece]);
            else ids.AddRange(_model.EncodeToIds(SpaceMarker + piece.Replace(' ', SpaceMarker), addBeginningOfSentence: false,
                addEndOfSentence: false, considerPreTokenization: false, considerNormalization: false));
        }
        if (addSpecialTokens && _addEos) ids.Add(_model.EndOfSentenceId);
        return ids;
    }

    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false) =>
        _model.Decode(skipSpecialTokens ? ids.Where(id => !SpecialIds.Contains(id)) : ids, considerSpecialTokens: true);

    public override int? TokenToId(string token) =>
        _specialTokenIds.TryGetValue(token, out var id) || _model.Vocabulary.TryGetValue(token, out id) ? id : null;

    static int? IdOf(SentencePieceModel model, TokenizerConfig config, string token) =>
        SpecialTokensOf(model, config).FirstOrDefault(t => t.Value == token) is { Value: not null } special ? special.Key
        : model.Vocabulary.TryGetValue(token, out var id) ? id : null;

    // The control pieces <unk>, <s>, </s> and tokenizer_config.json's special added tokens.
    static Dictionary<int, string> SpecialTokensOf(SentencePieceModel model, TokenizerConfig config)
    {
        return new Dictionary<int, string>(config.SpecialAddedTokens)
        {
            [model.UnknownId] = model.UnknownToken,
            [model.BeginningOfSentenceId] = model.BeginningOfSentenceToken,
            [model.EndOfSentenceId] = model.EndOfSentenceToken,
        };
    }
}
