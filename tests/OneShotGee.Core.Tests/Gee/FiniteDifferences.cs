using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Tests.Gee;

static class FiniteDifferences
{
    /// <summary>Central differences (f(x + h·e_k) − f(x − h·e_k)) / 2h of a scalar function of a float64 tensor.</summary>
    public static double[] Gradient(Func<Tensor, double> f, Tensor x, double h = 1e-6)
    {
        var values = x.detach().data<double>().ToArray();
        var gradient = new double[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            gradient[k] = (At(f, x, values, k, +h) - At(f, x, values, k, -h)) / (2 * h);
        }
        return gradient;
    }

    static double At(Func<Tensor, double> f, Tensor x, double[] values, int k, double step)
    {
        var shifted = (double[])values.Clone();
        shifted[k] += step;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return f(tensor(shifted, x.shape, ScalarType.Float64));
    }

    public static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance * Math.Max(1, Math.Abs(expected[k])),
                $"element {k}: expected {expected[k]}, got {actual[k]}");
    }
}
