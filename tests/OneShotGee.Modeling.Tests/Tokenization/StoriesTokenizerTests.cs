using System.Text.Json;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;

namespace OneShotGee.Modeling.Tests.Tokenization;

/// <summary>stories260K's SentencePiece tokenizer against llama2.c run.c's encoder (tests/fixtures/models/stories260k/reference.json).</summary>
public sealed class StoriesTokenizerTests
{
    static readonly string Directory = Fixtures.PathOf("models/stories260k");
    readonly ModelTokenizer _tokenizer = ModelTokenizer.FromDirectory(Directory);

    public static TheoryData<string, int[]> RunCEncodings()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "reference.json")));
        var root = document.RootElement;
        var data = new TheoryData<string, int[]>();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("prompt").GetString()!, Ids(c.GetProperty("prompt_ids")));
        foreach (var c in root.GetProperty("tokenizer_edge_cases").EnumerateArray())
            data.Add(c.GetProperty("text").GetString()!, Ids(c.GetProperty("runc_encode_ids")));
        return data;
    }

    static int[] Ids(JsonElement array) => array.EnumerateArray().Select(i => i.GetInt32()).ToArray();

    [Theory]
    [MemberData(nameof(RunCEncodings))]
    public void Encodes_as_run_c_with_BOS(string text, int[] expected) => Assert.Equal(expected, _tokenizer.Encode(text));

    [Theory]
    [MemberData(nameof(RunCEncodings))]
    public void Decoding_gives_back_the_text(string text, int[] ids) => Assert.Equal(text, _tokenizer.Decode(ids, skipSpecialTokens: true));

    [Fact]
    public void Special_ids_and_vocabulary_size()
    {
        Assert.IsType<LlamaSentencePieceTokenizer>(_tokenizer);
        Assert.Equal(1, _tokenizer.BosId);
        Assert.Equal([2], _tokenizer.EosIds);
        Assert.Null(_tokenizer.PadId);
        Assert.Equal(512, _tokenizer.VocabSize);
    }

    [Fact]
    public void Without_special_tokens_there_is_no_BOS() =>
        Assert.Equal([403, 407, 261, 378], _tokenizer.Encode("Once upon a time", addSpecialTokens: false));

    [Fact]
    public void Special_token_text_becomes_its_id_and_each_text_run_gets_the_dummy_prefix()
    {
        var once = _tokenizer.Encode("Once", addSpecialTokens: false);
        Assert.Equal([1, .. once, 2, 1, .. once], _tokenizer.Encode("<s>Once</s><s>Once", addSpecialTokens: false));
    }
}
