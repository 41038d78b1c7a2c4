using OneShotGee.Training.DemoModel;

namespace OneShotGee.Training.Tests.DemoModel;

public sealed class DemoModelGapTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("oneshotgee-demo-full-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // The full default recipe (~15 s on one busy core): the built model reproduces most of the planted gap.
    [Fact]
    public void TheDefaultModelShowsMostOfThePlantedGapInSampledResponses()
    {
        var card = DemoModelCard.Read(DemoModelCache.EnsureBuilt(_root));

        Assert.True(card.MeasuredEntropy.Gap > 0.8, $"measured gap {card.MeasuredEntropy.Gap:F3} nats (planted {card.PlantedEntropy.Gap:F3})");
        Assert.InRange(card.MeasuredEntropy.Male, 0.4, 0.8);
        Assert.InRange(card.MeasuredEntropy.Female, 1.3, 1.9);
    }
}
