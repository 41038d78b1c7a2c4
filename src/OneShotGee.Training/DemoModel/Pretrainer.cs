using OneShotGee.Modeling.Llama;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Training.DemoModel;

/// <summary>
/// Next-token cross-entropy pretraining with AdamW on whole documents (left-padded batches drawn with replacement),
/// warmup then cosine learning-rate decay. Deterministic on CPU for a seed and thread count.
/// </summary>
public static class Pretrainer
{
    /// <returns>The loss of the last step.</returns>
    public static double Train(CausalLM lm, IReadOnlyList<IReadOnlyList<int>> documents, DemoRecipe recipe,
        IProgress<PretrainProgress>? progress, CancellationToken ct)
    {
        lm.train();
        var parameters = lm.parameters().ToList();
        // nanoGPT configure_optimizers: weight decay on matrices (embeddings, projections), not on biases and norms.
        using var optimizer = optim.AdamW(
        [
            new AdamW.ParamGroup(parameters.Where(p => p.dim() >= 2), new AdamW.Options { weight_decay = recipe.WeightDecay }),
            new AdamW.ParamGroup(parameters.Where(p => p.dim() < 2), new AdamW.Options { weight_decay = 0.0 }),
        ], recipe.LearningRate, recipe.Beta1, recipe.Beta2, eps: 1e-8);
        var random = new Random(recipe.Seed);
        var loss = double.NaN;
        for (var step = 1; step <= recipe.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var group in optimizer.ParamGroups) group.LearningRate = LearningRate(step, recipe);
            var batch = Enumerable.Range(0, recipe.BatchSize).Select(_ => documents[random.Next(documents.Count)]).ToList();
            loss = Step(lm, optimizer, parameters, batch, recipe.GradClip);
            progress?.Report(new PretrainProgress(step, recipe.Steps, loss));
        }
        lm.eval();
        return loss;
    }

    static double Step(CausalLM lm, optim.Optimizer optimizer, IEnumerable<Parameter> parameters,
        IReadOnlyList<IReadOnlyList<int>> batch, double gradClip)
    {
        using var scope = NewDisposeScope();
        var (ids, mask) = PaddedBatch.Left(batch, lm.Config.VocabSize, lm.Device);
        var length = ids.shape[1] - 1;
        var inputMask = mask.narrow(1, 0, length);
        var logits = lm.call(ids.narrow(1, 0, length), inputMask, null);
        // A left-padded position predicts nothing: its target is another pad or the document's first token.
        var targets = ids.narrow(1, 1, length).masked_fill(inputMask.eq(0), IgnoreIndex);
        var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1), ignore_index: IgnoreIndex);
        optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(parameters, gradClip);
        optimizer.step();
        return loss.item<float>();
    }

    const long IgnoreIndex = -100;

    // nanoGPT train.py get_lr: linear warmup, then cosine decay to the minimum at the last step.
    static double LearningRate(int step, DemoRecipe recipe)
    {
        if (step <= recipe.WarmupSteps) return recipe.LearningRate * step / recipe.WarmupSteps;
        var progress = (double)(step - recipe.WarmupSteps) / Math.Max(1, recipe.Steps - recipe.WarmupSteps);
        return recipe.MinLearningRate + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (recipe.LearningRate - recipe.MinLearningRate);
    }
}
