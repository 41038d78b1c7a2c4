using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Experiments;

/// <summary>What one model scores on the held-out data: the paired entropy gap, the group entropies, perplexity.</summary>
public sealed record Measurement(double Gap, double HMale, double HFemale, double Perplexity)
{
    public double HBar => (HMale + HFemale) / 2;

    public static Measurement Take(CausalLM lm, ModelTokenizer tokenizer, HeldOut heldOut, PairedEntropyOptions paired)
    {
        lm.eval();
        var gap = PairedEntropyEvaluation.Evaluate(lm, PromptEncoder.For(tokenizer), heldOut.Pairs, paired);
        var perplexity = PerplexityEvaluation.Evaluate(lm, tokenizer, heldOut.Texts, heldOut.TextsSha256);
        return new(gap.Gap, gap.GroupEntropies["male"], gap.GroupEntropies["female"], perplexity.Perplexity);
    }
}

/// <summary>Held-out paired prompts (another seed than the training data) and held-out texts for perplexity.</summary>
public sealed record HeldOut(PairedPromptSet Pairs, IReadOnlyList<string> Texts, string TextsSha256);
