namespace OneShotGee.Cli.Tests;

/// <summary>The download itself is a contract test against the fake sidecar (OneShotGee.Dapr.Tests); here, what the command tells the user.</summary>
public sealed class ArtifactsCommandTests
{
    [Fact]
    public async Task A_uri_that_is_not_a_dapr_artifact_is_bad_input()
    {
        var result = await CliRunner.RunAsync("artifacts", "get", "s3://bucket/x/", "--out", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'s3://bucket/x/' is not a Dapr artifact URI", result.Error);
    }

    [Fact]
    public async Task Without_a_sidecar_the_endpoint_it_tried_is_named()
    {
        var target = Path.Combine(Path.GetTempPath(), $"oneshotgee-artifact-{Guid.NewGuid():N}");

        var result = await CliRunner.RunAsync("artifacts", "get", "dapr://artifacts/runs/r1/model-gee/", "--out", target,
            "--dapr-grpc-endpoint", "http://127.0.0.1:9");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the Dapr sidecar at http://127.0.0.1:9 answered Unavailable", result.Error);
        Assert.False(Directory.Exists(target));
    }
}
