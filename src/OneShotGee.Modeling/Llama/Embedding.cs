using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>Token embedding table [vocab, hidden]; allocated uninitialised.</summary>
public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;

    public Embedding(long vocabSize, long hiddenSize, ScalarType dtype, Device device) : base(nameof(Embedding))
    {
        weight = new Parameter(empty(vocabSize, hiddenSize, dtype, device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        long[] shape = [.. ids.shape, weight.shape[1]];
        return weight.index_select(0, ids.reshape(-1)).view(shape);
    }
}
