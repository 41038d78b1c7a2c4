using OneShotGee.Core;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Scoring;
using TorchSharp;

namespace OneShotGee.Modeling.Tests.Generation;

public sealed class TokenGeneratorTests
{
    static readonly Lazy<CausalLM> Model = new(() => CausalLM.CreateRandom(TinyModels.Qwen2() with { InitializerRange = 0.5 }, seed: 11));
    static readonly IReadOnlyList<int>[] Prompts = [[3, 4, 5], [7], [9, 10, 11, 12, 13]];

    static IReadOnlyList<GeneratedSequence> Run(GenerationOptions o) => TokenGenerator.Generate(Model.Value, Prompts, o);

    [Fact]
    public void Sampling_is_reproducible_per_seed()
    {
        var o = new GenerationOptions { MaxNewTokens = 20, DoSample = true, Seed = 5 };
        var a = Run(o);
        var b = Run(o);
        var c = Run(o with { Seed = 6 });
        Assert.Equal(a.Select(s => s.GeneratedIds), b.Select(s => s.GeneratedIds));
        Assert.NotEqual(a.SelectMany(s => s.GeneratedIds), c.SelectMany(s => s.GeneratedIds));
    }

    [Fact]
    public void Sampling_with_top_k_1_is_greedy()
    {
        var greedy = Run(new GenerationOptions { MaxNewTokens = 10 });
        var topK1 = Run(new GenerationOptions { MaxNewTokens = 10, DoSample = true, TopK = 1, Temperature = 0.7, Seed = 3 });
        Assert.Equal(greedy.Select(s => s.GeneratedIds), topK1.Select(s => s.GeneratedIds));
    }

    [Fact]
    public void A_sequence_stops_at_its_own_eos_and_others_continue()
    {
        var free = Run(new GenerationOptions { MaxNewTokens = 8 });
        var eos = free[0].GeneratedIds[2];
        var stopped = Run(new GenerationOptions { MaxNewTokens = 8, EosTokenIds = new HashSet<int> { eos } });
        Assert.Equal(free[0].GeneratedIds.Take(free[0].GeneratedIds.ToList().IndexOf(eos) + 1), stopped[0].GeneratedIds);
        Assert.Equal(StopReason.Eos, stopped[0].StopReason);
        for (var k = 1; k < Prompts.Length; k++)
        {
            var cut = free[k].GeneratedIds.ToList().IndexOf(eos);
            Assert.Equal(cut < 0 ? free[k].GeneratedIds : free[k].GeneratedIds.Take(cut + 1), stopped[k].GeneratedIds);
            Assert.Equal(cut < 0 ? StopReason.Length : StopReason.Eos, stopped[k].StopReason);
        }
    }

    [Fact]
    public void Greedy_repetition_penalty_avoids_repeating_tokens()
    {
        var plain = Run(new GenerationOptions { MaxNewTokens = 12 });
        var penalised = Run(new GenerationOptions { MaxNewTokens = 12, RepetitionPenalty = 1000 });
        int Repeats(GeneratedSequence s) => s.PromptIds.Concat(s.GeneratedIds).Count() - s.PromptIds.Concat(s.GeneratedIds).Distinct().Count();
        Assert.True(plain.Sum(Repeats) > 0, "the tiny model should repeat itself without a penalty");
        Assert.Equal(0, penalised.Sum(Repeats));
    }

    [Fact]
    public void Generation_entropies_equal_teacher_forced_entropies_of_the_output()
    {
        var results = Run(new GenerationOptions { MaxNewTokens = 6, ReturnEntropies = true });
        var scores = TokenScorer.Score(Model.Value, [.. results.Select(r => (IReadOnlyList<int>)[.. r.PromptIds, .. r.GeneratedIds])]);
        for (var k = 0; k < results.Count; k++)
        {
            var fromScoring = scores[k].Entropies.Skip(Prompts[k].Count - 1).ToArray();
            Assert.Equal(6, results[k].Entropies!.Count);
            for (var i = 0; i < 6; i++) Assert.Equal(fromScoring[i], results[k].Entropies![i], 4);
        }
    }

    [Fact]
    public void Repeated_calls_leave_no_live_tensors_behind()
    {
        var o = new GenerationOptions { MaxNewTokens = 5, DoSample = true, TopP = 0.9, TopK = 10, RepetitionPenalty = 1.3, ReturnEntropies = true };
        Run(o);
        TokenScorer.Score(Model.Value, Prompts);
        var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        for (var i = 0; i < 5; i++) { Run(o); TokenScorer.Score(Model.Value, Prompts); }
        Assert.Equal(before, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_model_that_generated_first_still_trains()
    {
        // Generation runs in inference mode, and what it leaves for later forwards (the rotary tables it builds first)
        // is made of inference tensors, which libtorch refuses to save for backward or update in place.
        using var lm = CausalLM.CreateRandom(TinyModels.Llama(), seed: 12);
        TokenGenerator.Generate(lm, Prompts, new GenerationOptions { MaxNewTokens = 3 });
        using var scope = torch.NewDisposeScope();
        var ids = torch.tensor(new long[] { 3, 4, 5, 6 }, [1, 4]);
        lm.call(ids, torch.ones_like(ids), null).sum().backward();
        Assert.True(lm.model.layers[0].self_attn.q_proj.weight.grad!.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData(-1, 1.0, 1.0, 1.0, "max_new_tokens")]
    [InlineData(5, 0.0, 1.0, 1.0, "temperature")]
    [InlineData(5, 1.0, 1.5, 1.0, "top_p")]
    [InlineData(5, 1.0, 1.0, 0.0, "repetition_penalty")]
    public void Invalid_options_are_named(int maxNew, double temperature, double topP, double penalty, string named)
    {
        var o = new GenerationOptions { MaxNewTokens = maxNew, DoSample = true, Temperature = temperature, TopP = topP, RepetitionPenalty = penalty };
        Assert.Contains(named, Assert.Throws<InvalidInputException>(() => Run(o)).Message);
    }

    [Fact]
    public void Out_of_vocabulary_and_empty_prompts_are_rejected()
    {
        Assert.Contains("outside the vocabulary", Assert.Throws<InvalidInputException>(
            () => TokenGenerator.Generate(Model.Value, [[1, 99]], new GenerationOptions())).Message);
        Assert.Contains("empty", Assert.Throws<InvalidInputException>(
            () => TokenGenerator.Generate(Model.Value, [[]], new GenerationOptions())).Message);
    }
}
