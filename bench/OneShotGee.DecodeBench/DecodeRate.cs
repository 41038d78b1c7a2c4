using System.Diagnostics;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;

namespace OneShotGee.DecodeBench;

/// <summary>
/// Tokens per second of <see cref="TokenGenerator"/> from a BOS-only prompt, as run.c measures its own: run.c times
/// steps 2 … n after the first forward, so the rate here is (tokens of a long run − tokens of a 1-token run) over the
/// difference of their times (prefill, setup and the first step cancel). No EOS: every sequence runs all steps.
/// Sampling uses run.c's defaults (temperature 1, top-p 0.9). <paramref name="fusedDecoding"/> false runs the decoding
/// steps module by module instead of as one TorchScript call (<see cref="DecoderModel.FusedDecoding"/>).
/// </summary>
static class DecodeRate
{
    public static int Run(string modelDir, int batch, int steps, bool sample, bool fusedDecoding)
    {
        using var lm = CausalLM.FromPretrained(modelDir);
        lm.model.FusedDecoding = fusedDecoding;
        var bos = lm.Config.BosTokenId ?? 1;
        var prompts = Enumerable.Repeat<IReadOnlyList<int>>([bos], batch).ToList();
        GenerationOptions Options(int tokens) => new() { MaxNewTokens = tokens, DoSample = sample, TopP = sample ? 0.9 : 1.0, Seed = 1 };
        double Seconds(int tokens)
        {
            var clock = Stopwatch.StartNew();
            TokenGenerator.Generate(lm, prompts, Options(tokens));
            return clock.Elapsed.TotalSeconds;
        }
        Seconds(steps); // warm-up: first-call costs of libtorch and the JIT
        var (longRun, shortRun) = (Seconds(steps), Seconds(1));
        var rate = batch * (steps - 1) / (longRun - shortRun);
        Console.WriteLine($"ours batch {batch} {(sample ? "sample" : "greedy")}{(fusedDecoding ? "" : " module by module")}: {rate:F0} tok/s (torch threads {TorchSharp.torch.get_num_threads()})");
        return 0;
    }
}
