using OneShotGee.Training.DemoModel;

namespace OneShotGee.Training.Tests.DemoModel;

[Collection(DemoModelCollection.Name)]
public sealed class DemoModelGapTests(DemoModelFixture demo)
{
    // The full default recipe (~15 s on one busy core): the built model reproduces most of the planted gap.
    [Fact]
    public void TheDefaultModelShowsMostOfThePlantedGapInSampledResponses()
    {
        var card = DemoModelCard.Read(demo.ModelDirectory);

        Assert.True(card.MeasuredEntropy.Gap > 0.8, $"measured gap {card.MeasuredEntropy.Gap:F3} nats (planted {card.PlantedEntropy.Gap:F3})");
        Assert.InRange(card.MeasuredEntropy["male"], 0.4, 0.8);
        Assert.InRange(card.MeasuredEntropy["female"], 1.3, 1.9);
    }
}
