using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Reference;

/// <summary>stories260K (real pretrained Llama) against llama2.c run.c's greedy outputs.</summary>
public sealed class Stories260kTests
{
    static readonly Lazy<CausalLM> Model = new(() => CausalLM.FromPretrained(Fixtures.PathOf("models/stories260k")));
    static readonly System.Text.Json.JsonElement Reference = ReferenceJson.Load("stories260k");

    [Fact]
    public void First_step_logits_match_run_c()
    {
        foreach (var c in Reference.GetProperty("cases").EnumerateArray())
        {
            var prompt = c.GetProperty("prompt_ids").Ints();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var ids = tensor(prompt.Select(i => (long)i).ToArray(), [1, prompt.Length]);
            var logits = Model.Value.call(ids, ones_like(ids), null)[0, -1].data<float>().ToArray();
            var expected = c.GetProperty("first_gen_logits").Doubles();
            Assert.Equal(expected.Length, logits.Length);
            for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - logits[i]) < 1e-4, $"logit {i}: {logits[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void Batched_greedy_generation_reproduces_every_reference_story()
    {
        var cases = Reference.GetProperty("cases").EnumerateArray().ToArray();
        var prompts = cases.Select(c => (IReadOnlyList<int>)c.GetProperty("prompt_ids").Ints()).ToArray();
        // run.c: `steps` positions in total, the prompt's last token included, so steps − n + 1 new tokens.
        var steps = cases.Select(c => c.GetProperty("steps").GetInt32()).Distinct().Single();
        var options = new GenerationOptions
        {
            MaxNewTokens = steps - prompts.Min(p => p.Count) + 1,
            EosTokenIds = new HashSet<int> { 1 }, // the model ends a story with BOS
            ReturnEntropies = true,
        };
        var results = TokenGenerator.Generate(Model.Value, prompts, options);

        for (var k = 0; k < cases.Length; k++)
        {
            var expected = cases[k].GetProperty("generated_ids").Ints();
            var budget = steps - prompts[k].Count + 1;
            var actual = results[k].GeneratedIds.Take(budget).ToArray();
            Assert.Equal(expected, actual);
            if (cases[k].GetProperty("stop_reason").GetString() == "bos") Assert.Equal(StopReason.Eos, results[k].StopReason);
            var entropies = cases[k].GetProperty("entropy_first16_nats").Doubles();
            for (var i = 0; i < entropies.Length; i++)
                Assert.True(Math.Abs(entropies[i] - results[k].Entropies![i]) < 1e-4, $"case {k} entropy {i}");
        }
    }
}
