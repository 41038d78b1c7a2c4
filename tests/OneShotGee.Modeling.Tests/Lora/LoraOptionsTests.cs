using OneShotGee.Core;
using OneShotGee.Modeling.Lora;

namespace OneShotGee.Modeling.Tests.Lora;

public sealed class LoraOptionsTests
{
    [Fact]
    public void Defaults_target_all_seven_projections_with_scaling_alpha_over_r()
    {
        var options = new LoraOptions(rank: 8, alpha: 16);
        Assert.Equal(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], options.Targets);
        Assert.Equal(2.0, options.Scaling);
        Assert.Equal(0.0, options.Dropout);
    }

    [Theory]
    [InlineData(0, 16, 0.0, "--lora-rank")]
    [InlineData(8, 0, 0.0, "--lora-alpha")]
    [InlineData(8, -1, 0.0, "--lora-alpha")]
    [InlineData(8, double.NaN, 0.0, "--lora-alpha")]
    [InlineData(8, 16, 1.0, "--lora-dropout")]
    [InlineData(8, 16, -0.1, "--lora-dropout")]
    public void Rejects_bad_values_naming_the_option(int rank, double alpha, double dropout, string option)
    {
        var e = Assert.Throws<InvalidInputException>(() => new LoraOptions(rank, alpha, dropout));
        Assert.StartsWith(option, e.Message);
    }

    [Fact]
    public void Unknown_targets_are_rejected_with_the_valid_names()
    {
        var e = Assert.Throws<InvalidInputException>(() => new LoraOptions(8, 16, 0, LoraOptions.ParseTargets("q_proj, x_proj,lm_head")));
        Assert.Contains("\"x_proj\", \"lm_head\"", e.Message);
        Assert.Contains("q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj", e.Message);
        Assert.Throws<InvalidInputException>(() => new LoraOptions(8, 16, 0, LoraOptions.ParseTargets(" , ")));
        Assert.Equal(["q_proj", "v_proj"], new LoraOptions(8, 16, 0, LoraOptions.ParseTargets("q_proj, v_proj,q_proj")).Targets);
    }
}
