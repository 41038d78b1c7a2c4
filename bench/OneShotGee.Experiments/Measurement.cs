using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Experiments;

/// <summary>
/// What one model scores on the held-out data: the paired entropy gap and group entropies, perplexity on neutral text,
/// and where the model has them, the accuracy of its neutral task and the perplexity of gendered documents.
/// </summary>
public sealed record Measurement(double Gap, double HMale, double HFemale, double Perplexity, double? Accuracy, double? GenderedPerplexity)
{
    public double HBar => (HMale + HFemale) / 2;

    public static Measurement Take(CausalLM lm, ModelTokenizer tokenizer, HeldOut heldOut, PairedEntropyOptions paired)
    {
        lm.eval();
        var encoder = PromptEncoder.For(tokenizer);
        var gap = PairedEntropyEvaluation.Evaluate(lm, encoder, heldOut.Pairs, paired);
        var perplexity = PerplexityEvaluation.Evaluate(lm, tokenizer, heldOut.NeutralTexts, "neutral").Perplexity;
        var accuracy = heldOut.Task is { } task ? TaskAccuracyEvaluation.Evaluate(lm, encoder, task, maxNewTokens: 5).Accuracy : (double?)null;
        var gendered = heldOut.GenderedTexts is { } texts ? PerplexityEvaluation.Evaluate(lm, tokenizer, texts, "gendered").Perplexity : (double?)null;
        return new(gap.Gap, gap.GroupEntropies["male"], gap.GroupEntropies["female"], perplexity, accuracy, gendered);
    }
}

/// <summary>Held-out paired prompts (disjoint from the training prompts), neutral texts, and the model's task and gendered texts if it has them.</summary>
public sealed record HeldOut(PairedPromptSet Pairs, IReadOnlyList<string> NeutralTexts, MathProblemSet? Task, IReadOnlyList<string>? GenderedTexts);
