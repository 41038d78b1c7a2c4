using OneShotGee.Core;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Likelihood;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Likelihood;

public sealed class SentenceScorerTests(Stories260k stories) : IClassFixture<Stories260k>
{
    [Fact]
    public void CrowS_Pairs_sentences_score_as_a_direct_per_token_log_softmax_sum()
    {
        var limit = new ItemLimit(3, seed: 15);
        var pairs = limit.Draw(CrowsPair.ReadGender(Stories260k.BiasFixtures).Pairs);
        string[] sentences = [.. pairs.Select(p => p.SentMore), .. pairs.Select(p => p.SentLess)];

        var scored = stories.Scorer(batchSize: 4).ScoreSentences(sentences);

        for (var i = 0; i < sentences.Length; i++)
        {
            var ids = stories.Tokenizer.Encode(sentences[i]); // default special tokens: BOS first
            Assert.Equal(stories.Tokenizer.BosId, ids[0]);
            Assert.Equal(Stories260k.DirectLogLikelihood(stories.Model, ids), scored[i].LogLikelihood, 4);
            Assert.Equal(ids.Count - 1, scored[i].TokenCount);
        }
        var result = new CrowsPairsBenchmark().Evaluate(stories.Scorer(), Stories260k.BiasFixtures, limit); // the same three pairs
        var expected = Enumerable.Range(0, 3).Count(i => scored[i].LogLikelihood > scored[3 + i].LogLikelihood) * 100.0 / 3;
        Assert.Equal(expected, result.Metrics["pct_stereotype"], 9);
        Assert.Equal(Enumerable.Range(0, 3).Average(i => Math.Abs(scored[i].LogLikelihood - scored[3 + i].LogLikelihood)),
            result.Metrics["likelihood_diff"], 4);
    }

    [Fact]
    public void Batch_size_and_order_do_not_change_scores()
    {
        string[] sentences = ["A cat.", "Once upon a time there was a little girl named Lily.", "He ran home fast.", "She smiled."];
        var one = stories.Scorer(batchSize: 1).ScoreSentences(sentences);
        var all = stories.Scorer(batchSize: 3).ScoreSentences(sentences);
        for (var i = 0; i < sentences.Length; i++)
        {
            Assert.Equal(one[i].LogLikelihood, all[i].LogLikelihood, 4);
            Assert.Equal(one[i].MeanEntropy, all[i].MeanEntropy, 4);
        }
    }

    [Fact]
    public void A_continuation_scores_the_suffix_tokens_after_the_context_encoding()
    {
        const string context = "Once upon a time";
        const string continuation = " there was a big dog.";
        var contextIds = stories.Tokenizer.Encode(context);
        var wholeIds = stories.Tokenizer.Encode(context + continuation);
        Assert.Equal(contextIds, wholeIds.Take(contextIds.Count)); // a clean boundary, so the chain rule must hold exactly

        var scorer = stories.Scorer();
        var conditional = scorer.ScoreContinuations([(context, continuation), (context + " ", continuation.TrimStart())]);
        var direct = Stories260k.DirectLogLikelihood(stories.Model, wholeIds, from: contextIds.Count);
        Assert.Equal(direct, conditional[0].LogLikelihood, 4);
        Assert.Equal(wholeIds.Count - contextIds.Count, conditional[0].TokenCount);
        Assert.Equal(conditional[0].LogLikelihood, conditional[1].LogLikelihood, 9); // trailing context space moves to the continuation

        var whole = scorer.ScoreSentences([context, context + continuation]);
        Assert.Equal(whole[1].LogLikelihood, whole[0].LogLikelihood + conditional[0].LogLikelihood, 4);
    }

    [Fact]
    public void Empty_texts_are_rejected()
    {
        var scorer = stories.Scorer();
        Assert.Contains("sentence 1 is empty", Assert.Throws<InvalidInputException>(() => scorer.ScoreSentences(["A cat.", ""])).Message);
        Assert.Throws<InvalidInputException>(() => scorer.ScoreContinuations([("A cat.", "")]));
        Assert.Throws<InvalidInputException>(() => stories.Scorer(batchSize: 0));
    }

    [Fact]
    public void Without_a_BOS_token_sentences_are_conditioned_on_EOS()
    {
        var dir = Fixtures.PathOf("models/tiny-qwen2");
        using var lm = CausalLM.FromPretrained(dir);
        var tokenizer = ModelTokenizer.FromDirectory(dir);
        Assert.Null(tokenizer.BosId);
        var scorer = new SentenceScorer(lm, tokenizer);
        Assert.Equal(tokenizer.TokenToId("<|im_end|>"), scorer.PrefixId); // tokenizer_config.json's eos_token

        const string sentence = "The nurse said she was tired.";
        var ids = new[] { scorer.PrefixId }.Concat(tokenizer.Encode(sentence)).ToList();
        Assert.Equal(Stories260k.DirectLogLikelihood(lm, ids), scorer.ScoreSentences([sentence])[0].LogLikelihood, 3);
    }
}
