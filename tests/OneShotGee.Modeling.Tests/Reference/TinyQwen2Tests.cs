using System.Text.Json;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Scoring;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Reference;

/// <summary>tiny-qwen2 (BF16 storage, q/k/v biases, untied head, rope_theta 1e6) against an independent float64 forward.</summary>
public sealed class TinyQwen2Tests
{
    const double Tolerance = 1e-5;
    static readonly Lazy<CausalLM> Model = new(() => CausalLM.FromPretrained(Fixtures.PathOf("models/tiny-qwen2")));
    static readonly JsonElement[] Sequences = [.. ReferenceJson.Load("tiny-qwen2").GetProperty("sequences").EnumerateArray()];

    [Fact]
    public void Batched_teacher_forced_scores_match_reference()
    {
        var ids = Sequences.Select(s => (IReadOnlyList<int>)s.GetProperty("ids").Ints()).ToArray();
        var scores = TokenScorer.Score(Model.Value, ids);
        for (var k = 0; k < Sequences.Length; k++)
        {
            var expected = Sequences[k].GetProperty("teacher_forced");
            Close.All(expected.GetProperty("token_logprobs").Doubles(), scores[k].TokenLogprobs, Tolerance, $"seq {k} logprob");
            Close.All(expected.GetProperty("entropies").Doubles(), scores[k].Entropies, Tolerance, $"seq {k} entropy");
            Close.One(expected.GetProperty("sum_logprob").GetDouble(), scores[k].SumLogprob, 1e-4, $"seq {k} sum_logprob");
        }
    }

    [Fact]
    public void Last_position_logits_and_residual_stream_match_reference()
    {
        foreach (var seq in Sequences)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var expected = seq.GetProperty("last_position");
            var prompt = seq.GetProperty("ids").Ints();
            var ids = tensor(prompt.Select(i => (long)i).ToArray(), [1, prompt.Length]);
            var mask = ones_like(ids);
            var logits = Model.Value.call(ids, mask, null)[0, -1].to(ScalarType.Float64);
            var values = logits.data<double>().ToArray();

            Close.One(expected.GetProperty("logsumexp").GetDouble(), logits.logsumexp(0).item<double>(), Tolerance, "logsumexp");
            foreach (var pair in expected.GetProperty("top20").EnumerateArray().Concat(expected.GetProperty("sampled_logits").EnumerateArray()))
                Close.One(pair[1].GetDouble(), values[pair[0].GetInt32()], Tolerance, $"logit {pair[0].GetInt32()}");
            var top20 = expected.GetProperty("top20").EnumerateArray().Select(p => p[0].GetInt32()).ToArray();
            Assert.Equal(top20[0], (int)logits.argmax().item<long>());
            Close.One(expected.GetProperty("logit_sum").GetDouble(), values.Sum(), 1e-3, "logit sum");
            Close.One(expected.GetProperty("logit_sum_sq").GetDouble(), values.Sum(v => v * v), 1e-3, "logit sum of squares");

            var hidden = Model.Value.model.HiddenStates(ids, mask);
            var layers = expected.GetProperty("hidden_after_layer").EnumerateArray().ToArray();
            for (var l = 0; l < layers.Length; l++)
                Close.All(layers[l].Doubles(), hidden[l][0, -1].to(ScalarType.Float64).data<double>().ToArray(), Tolerance, $"layer {l}");
            Close.All(expected.GetProperty("final_norm_output").Doubles(),
                hidden[^1][0, -1].to(ScalarType.Float64).data<double>().ToArray(), Tolerance, "final norm");
        }
    }

    [Fact]
    public void Greedy_tokens_and_entropies_match_reference()
    {
        var prompts = Sequences.Select(s => (IReadOnlyList<int>)s.GetProperty("ids").Ints()).ToArray();
        var results = TokenGenerator.Generate(Model.Value, prompts, new GenerationOptions { MaxNewTokens = 12, ReturnEntropies = true });
        for (var k = 0; k < Sequences.Length; k++)
        {
            var greedy = Sequences[k].GetProperty("greedy");
            Assert.Equal(greedy.GetProperty("ids").Ints(), results[k].GeneratedIds);
            Assert.Equal(StopReason.Length, results[k].StopReason);
            Close.All(greedy.GetProperty("entropies").Doubles(), results[k].Entropies!, Tolerance, $"seq {k} greedy entropy");
        }
    }
}
