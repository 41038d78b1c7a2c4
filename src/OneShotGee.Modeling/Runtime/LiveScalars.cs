using TorchSharp;

namespace OneShotGee.Modeling.Runtime;

/// <summary>
/// Scalars that outlive every call they are passed to. A double converted implicitly to <see cref="Scalar"/> is a
/// temporary with a finalizer (TorchSharp Scalar.cs, <c>~Scalar</c>), and TorchSharp passes only its handle to the
/// native op (Tensor.cs, <c>masked_fill(Tensor, Scalar)</c>: <c>value.Handle</c>, no <c>GC.KeepAlive</c>): a garbage
/// collection during the op can free it mid-call, which libtorch reports as an internal assert in Scalar.h or a
/// failed <c>toFloat</c>. Seen intermittently in top-p's and RMSNorm's calls under a loaded test run, so the hot
/// decoding path uses these rooted instances.
/// </summary>
public static class LiveScalars
{
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
}
