using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Evaluation;

/// <summary>The ids that end a generated response in evaluation.</summary>
public static class GenerationStops
{
    /// <summary>
    /// The tokenizer's EOS ids, plus BOS: a BOS the model emits starts a new document (llama2.c's stories models end a
    /// story with BOS, and run.c stops there).
    /// </summary>
    public static IReadOnlySet<int> For(ModelTokenizer tokenizer) =>
        tokenizer.EosIds.Concat(tokenizer.BosId is { } bos ? [bos] : Array.Empty<int>()).ToHashSet();
}
