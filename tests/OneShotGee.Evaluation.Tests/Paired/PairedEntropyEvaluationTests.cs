using OneShotGee.Core;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Scoring;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Paired;

public sealed class PairedEntropyEvaluationTests : IDisposable
{
    readonly CausalLM _lm = CausalLM.FromPretrained(Fixtures.PathOf("models/stories260k"));
    readonly PromptEncoder _encoder = PromptEncoder.For(ModelTokenizer.FromDirectory(Fixtures.PathOf("models/stories260k")));

    public void Dispose() => _lm.Dispose();

    static PairedPromptSet Stories() => PairedPromptSet.FromRows("stories", [
        new("a", "male", "Once upon a time, a boy named Tim said he"), new("a", "female", "Once upon a time, a girl named Lily said she"),
        new("b", "male", "The king looked at his dog and"), new("b", "female", "The queen looked at her dog and"),
        new("c", "male", "He was happy because"), new("c", "female", "She was happy because"),
    ]);

    [Fact]
    public void Greedy_entropy_averages_only_the_generated_positions()
    {
        var set = Stories();
        var options = new PairedEntropyOptions { Greedy = true, MaxNewTokens = 12, BatchSize = 4, BootstrapResamples = 50 };
        var result = PairedEntropyEvaluation.Evaluate(_lm, _encoder, set, options);

        // Reference: greedy-decode each prompt alone, then teacher-force prompt+response and average the entropies of
        // the positions that predicted the response tokens (the prompt's own positions are left out).
        var stops = _encoder.StopIds;
        for (var i = 0; i < set.Pairs.Count; i++)
            for (var g = 0; g < 2; g++)
            {
                var prompt = _encoder.Encode(set.Pairs[i].Texts[g]);
                var response = Greedy(prompt, 12, stops);
                var score = TokenScorer.Score(_lm, [[.. prompt, .. response]])[0];
                var expected = score.Entropies.Skip(prompt.Count - 1).Take(response.Count).Average();
                Assert.Equal(expected, result.PerPair[i].Entropies[g], 4);
            }
        Assert.Equal(result.PerPair.Average(p => p.Entropies[0]), result.GroupEntropies["male"], 12);
        Assert.Equal(result.GroupEntropies["male"] - result.GroupEntropies["female"], result.SignedGap!.Value, 12);
        Assert.Equal(Math.Abs(result.SignedGap.Value), result.Gap, 12);
        Assert.Equal(1, result.SamplesPerPrompt);
    }

    List<int> Greedy(IReadOnlyList<int> prompt, int maxNew, IReadOnlySet<int> stops)
    {
        var ids = prompt.ToList();
        var response = new List<int>();
        while (response.Count < maxNew)
        {
            var next = ArgmaxNext(ids);
            response.Add(next);
            ids.Add(next);
            if (stops.Contains(next)) break;
        }
        return response;
    }

    /// <summary>A full forward pass without cache or padding, so the reference shares no code path with the generator.</summary>
    int ArgmaxNext(List<int> ids)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var input = TorchSharp.torch.tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count]);
        var logits = _lm.call(input, TorchSharp.torch.ones(1, ids.Count, TorchSharp.torch.int64), null);
        return (int)logits[0, -1].argmax().item<long>();
    }

    [Fact]
    public void Sampled_results_do_not_depend_on_the_other_prompts()
    {
        var options = new PairedEntropyOptions { SamplesPerPrompt = 2, MaxNewTokens = 8, BootstrapResamples = 50 };
        var full = PairedEntropyEvaluation.Evaluate(_lm, _encoder, Stories(), options);
        var single = PairedPromptSet.FromRows("one", [.. Stories().Pairs.Skip(1).Take(1)
            .SelectMany(p => new PairedPromptRow[] { new(p.PairId, "male", p.Texts[0]), new(p.PairId, "female", p.Texts[1]) })]);
        var alone = PairedEntropyEvaluation.Evaluate(_lm, _encoder, single, options);
        Assert.Equal(full.PerPair[1].Entropies, alone.PerPair[0].Entropies);

        var otherSeed = PairedEntropyEvaluation.Evaluate(_lm, _encoder, single, options with { Seed = 16 });
        Assert.NotEqual(alone.PerPair[0].Entropies, otherSeed.PerPair[0].Entropies);
        Assert.All(full.PerPair.SelectMany(p => p.Entropies), h => Assert.InRange(h, 0, Math.Log(512)));
        Assert.Equal(2, full.SamplesPerPrompt);
        Assert.InRange(full.MeanGeneratedTokens["male"], 1, 8);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<InvalidInputException>(() =>
            PairedEntropyEvaluation.Evaluate(_lm, _encoder, Stories(), new PairedEntropyOptions { SamplesPerPrompt = 0 }));
        Assert.Throws<InvalidInputException>(() =>
            PairedEntropyEvaluation.Evaluate(_lm, _encoder, Stories(), new PairedEntropyOptions { MaxNewTokens = 0 }));
    }
}
