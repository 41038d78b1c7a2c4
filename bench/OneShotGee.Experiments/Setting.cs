using System.Globalization;
using OneShotGee.Training;

namespace OneShotGee.Experiments;

/// <summary>One point of the grid: λ (0 = EM only), the KL anchor's β, the learning rate, the steps (L2 penalty, τ = 0.5).</summary>
public sealed record Setting(double Lambda, double KlCoef, double LearningRate, int Steps)
{
    /// <summary>em, gee or gee+kl (em+kl for an anchored EM).</summary>
    public string Method => (Lambda == 0 ? "em" : "gee") + (KlCoef > 0 ? "+kl" : "");

    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Method} λ={Lambda:G3} β={KlCoef:G3} lr={LearningRate:G3}");

    public string DirectoryName => string.Create(CultureInfo.InvariantCulture, $"l{Lambda:G3}-b{KlCoef:G3}-lr{LearningRate:G3}");

    public TrainOptions Configure(TrainOptions options) => options with { Lambda = Lambda, KlCoef = KlCoef, LearningRate = LearningRate, MaxSteps = Steps };
}
