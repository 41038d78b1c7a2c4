using OneShotGee.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Training.Tests;

public sealed class ClippedAdamWTests
{
    static readonly TrainOptions Options = new() { ModelPath = "m", DataPath = "d", OutputPath = "o", LearningRate = 0.1 };

    static Parameter ParameterOf(float[] values, ScalarType dtype = ScalarType.Float32) =>
        new(tensor(values).to(dtype), requires_grad: true);

    [Fact]
    public void OneStepIsDecoupledWeightDecayPlusASignStepAndReportsTheNormBeforeClipping()
    {
        using var p = ParameterOf([1.0f, -2.0f]);
        p.grad = tensor(new[] { 3.0f, 4.0f });
        using var adamW = new ClippedAdamW([p], Options);

        var norm = adamW.Step(step: 1);

        Assert.Equal(5.0, norm, 6);
        // First AdamW step (Loshchilov & Hutter): p·(1 − lr·wd) − lr·m̂/(√v̂ + ε), m̂/√v̂ = sign(g) for any scaling of g.
        var expected = new[] { 1.0 * (1 - 0.1 * 0.01) - 0.1, -2.0 * (1 - 0.1 * 0.01) - 0.1 };
        var actual = p.data<float>().ToArray();
        Assert.Equal(expected[0], actual[0], 5);
        Assert.Equal(expected[1], actual[1], 5);
        Assert.Equal([0f, 0f], p.grad!.data<float>().ToArray());
    }

    [Fact]
    public void ANonFiniteGradientThrowsNamingTheStepAndLeavesTheWeightsAlone()
    {
        using var p = ParameterOf([1.0f, 2.0f]);
        p.grad = tensor(new[] { float.NaN, 1.0f });
        using var adamW = new ClippedAdamW([p], Options);

        var error = Assert.Throws<InvalidInputException>(() => adamW.Step(step: 7));

        Assert.Contains("step 7", error.Message);
        Assert.Equal([1.0f, 2.0f], p.data<float>().ToArray());
    }

    [Fact]
    public void Bf16WeightsWithMasterWeightsAllMoveAtLr2em5WhilePlainAdamWOnBf16LeavesMostUnchanged()
    {
        var options = Options with { LearningRate = 2e-5 };
        using var generator = new Generator(3);
        using var init = randn([4096], generator: generator) * 0.5f;
        using var grad = randn([4096], generator: generator);

        using var withMaster = new Parameter(init.to(ScalarType.BFloat16), requires_grad: true);
        var before = withMaster.detach().clone();
        withMaster.grad = grad.to(ScalarType.BFloat16);
        using (var adamW = new ClippedAdamW([withMaster], options))
            for (var step = 1; step <= 3; step++)
            {
                withMaster.grad = grad.to(ScalarType.BFloat16);
                adamW.Step(step);
            }
        var unchangedWithMaster = withMaster.eq(before).sum().item<long>();

        // Contrast: TorchSharp's AdamW stepping the bf16 tensor itself; each update (~lr) is below half a bf16 ulp.
        using var plain = new Parameter(init.to(ScalarType.BFloat16), requires_grad: true);
        using (var adamW = TorchSharp.torch.optim.AdamW([plain], 2e-5, 0.9, 0.999, 1e-8, 0.01))
            for (var step = 1; step <= 3; step++)
            {
                plain.grad = grad.to(ScalarType.BFloat16);
                adamW.step();
            }
        var unchangedPlain = plain.eq(before).sum().item<long>();

        // After 3 steps the master copy has moved every weight by ~6e-5; rounded to bf16 that changes a weight
        // only if it crosses half an ulp, so check the master path moves strictly more weights, and that the
        // plain path leaves the majority untouched (the issue measured ~70 %).
        Assert.True(unchangedPlain > 4096 / 2, $"plain AdamW on bf16 changed {4096 - unchangedPlain} of 4096 weights");
        Assert.True(unchangedWithMaster < unchangedPlain, $"{unchangedWithMaster} unchanged with master weights vs {unchangedPlain} without");
    }

    [Fact]
    public void MasterWeightsStepEveryFloat32CopyAndRoundItBackDown()
    {
        using var generator = new Generator(5);
        using var p = new Parameter((randn([1024], generator: generator) * 0.5f).to(ScalarType.BFloat16), requires_grad: true);
        var start = p.detach().to(ScalarType.Float32);
        using var master = new MasterWeights([p]);
        using var adamW = TorchSharp.torch.optim.AdamW(master.Parameters, 2e-5, 0.9, 0.999, 1e-8, 0.01);
        p.grad = (randn([1024], generator: generator) + 0.1f).to(ScalarType.BFloat16);

        master.CopyGradientsUp();
        adamW.step();
        master.CopyWeightsDown();

        Assert.Equal(ScalarType.Float32, master.Parameters[0].dtype);
        Assert.Equal(0, master.Parameters[0].eq(start).sum().item<long>()); // every trainable weight changed
        Assert.True(p.to(ScalarType.Float32).eq(master.Parameters[0].to(ScalarType.BFloat16).to(ScalarType.Float32)).all().item<bool>());
    }

    [Fact]
    public void SavedStateRestoresTheSameNextStep()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var a = ParameterOf([0.5f, -0.25f], ScalarType.BFloat16);
            using var optA = new ClippedAdamW([a], Options);
            a.grad = tensor(new[] { 1.0f, 2.0f }).to(ScalarType.BFloat16);
            optA.Step(1);
            optA.Save(path);

            using var b = ParameterOf([9f, 9f], ScalarType.BFloat16);
            using var optB = new ClippedAdamW([b], Options);
            optB.Load(path);
            Assert.True(a.eq(b).all().item<bool>()); // the master weights came back and were copied down

            a.grad = tensor(new[] { -1.0f, 0.5f }).to(ScalarType.BFloat16);
            b.grad = tensor(new[] { -1.0f, 0.5f }).to(ScalarType.BFloat16);
            optA.Step(2);
            optB.Step(2);
            Assert.True(a.eq(b).all().item<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
