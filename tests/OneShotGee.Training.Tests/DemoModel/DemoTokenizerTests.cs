using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Training.Tests.DemoModel;

public sealed class DemoTokenizerTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-demo-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MergesFollowPairFrequencyWithOrdinalTiesUntilEveryWordIsOneToken()
    {
        // Pre-tokens "aab", " aab", " ab". Pair counts: ab 3, aa 2, Ġa 2 → merge ab; then a+ab 2 → aab;
        // then Ġ+aab and Ġ+ab tie at 1 and "aab" < "ab" ordinally.
        var vocabulary = ByteLevelBpeTrainer.Train(["aab aab ab"]);

        Assert.Equal([("a", "b"), ("a", "ab"), ("Ġ", "aab"), ("Ġ", "ab")], vocabulary.Merges);
        Assert.Equal(["ab", "aab", "Ġaab", "Ġab"], vocabulary.Tokens.Skip(256));
        Assert.Equal("Ġ", vocabulary.Tokens[' ']);
        Assert.Equal("A", vocabulary.Tokens['A']);
    }

    [Fact]
    public void TrainingIsDeterministic()
    {
        var texts = DemoCorpus.Generate(30, 4).Select(d => d.Text).ToList();
        var first = ByteLevelBpeTrainer.Train(texts);
        var second = ByteLevelBpeTrainer.Train(texts);
        Assert.Equal(first.Tokens, second.Tokens);
        Assert.Equal(first.Merges, second.Merges);
    }

    [Fact]
    public void RuntimeTokenizerRoundTripsTheCorpusWithOneTokenPerPreToken()
    {
        var corpus = DemoCorpus.Generate(60, 2);
        var vocabulary = ByteLevelBpeTrainer.Train(corpus.Select(d => d.Text));
        DemoTokenizerFiles.Write(_dir, vocabulary, modelMaxLength: 512);
        var tokenizer = ModelTokenizer.FromDirectory(_dir);

        foreach (var document in corpus)
        {
            var ids = tokenizer.Encode(document.Text);
            Assert.Equal(document.Text, tokenizer.Decode(ids));
            Assert.Equal(Regex.Matches(document.Text, ByteLevelBpeTrainer.SplitPattern).Count, ids.Count);
        }
        Assert.Equal(8, tokenizer.Encode(" Simply add both numbers carefully today.<|endoftext|>").Count);
        Assert.Equal(tokenizer.TokenToId("ĠSimply"), tokenizer.Encode(" Simply")[0]);
    }

    [Fact]
    public void EndOfTextIsTheLastIdAndServesAsEosAndPadWithoutBos()
    {
        var vocabulary = ByteLevelBpeTrainer.Train(DemoCorpus.Generate(5, 1).Select(d => d.Text));
        DemoTokenizerFiles.Write(_dir, vocabulary, modelMaxLength: 512);
        var tokenizer = ModelTokenizer.FromDirectory(_dir);

        var endOfText = vocabulary.Tokens.Count;
        Assert.Equal([endOfText], tokenizer.EosIds);
        Assert.Equal(endOfText, tokenizer.PadId);
        Assert.Null(tokenizer.BosId);
        Assert.Equal(endOfText + 1, tokenizer.VocabSize);
        Assert.Equal([endOfText], tokenizer.Encode("<|endoftext|>"));
        Assert.Equal("He", tokenizer.Decode([.. tokenizer.Encode("He"), endOfText], skipSpecialTokens: true));
    }

    [Fact]
    public void PreTokenizerAndDecoderAreQwen25s()
    {
        DemoTokenizerFiles.Write(_dir, ByteLevelBpeTrainer.Train(["x"]), modelMaxLength: 512);
        var ours = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "tokenizer.json")))!;
        var qwen = JsonNode.Parse(File.ReadAllText(Fixtures.PathOf("tokenizers/qwen2.5/tokenizer.json")))!;

        foreach (var part in new[] { "normalizer", "pre_tokenizer", "post_processor", "decoder" })
            Assert.True(JsonNode.DeepEquals(qwen[part], ours[part]), $"{part} differs from Qwen2.5's: {ours[part]}");
        Assert.Equal("BPE", (string?)ours["model"]!["type"]);
    }
}
