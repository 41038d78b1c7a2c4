using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Tests;

public sealed class ArtifactTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-artifacts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("prepared.parquet")]
    [InlineData("checkpoints/step-10")]
    [InlineData("run_2026-11-25.v1")]
    public void OrdinaryNamesAreAccepted(string name) => Assert.Equal(name, ArtifactName.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("a//b")]
    [InlineData("name with spaces")]
    [InlineData("semi;colon")]
    [InlineData("nul\0byte")]
    public void MaliciousOrMalformedNamesAreRejected(string name)
    {
        var error = Assert.Throws<InvalidInputException>(() => ArtifactName.Validate(name));
        Assert.Contains("artifact name", error.Message);
    }

    [Fact]
    public void OversizedNamesAreRejectedWithTheLimit()
    {
        var error = Assert.Throws<InvalidInputException>(() => ArtifactName.Validate(new string('a', 129)));
        Assert.Contains("128", error.Message);
    }

    [Fact]
    public void AFileIsReferencedByItsSha256()
    {
        var path = Path.Combine(_dir, "abc.txt");
        File.WriteAllText(path, "abc");

        var artifact = ArtifactRef.Of("abc", path);

        // SHA-256("abc"), FIPS 180-2 appendix B.1
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", artifact.Sha256);
        Assert.Equal(3, artifact.Size);
        Assert.Equal(path, artifact.LocalPath);
        Assert.StartsWith("file://", artifact.Uri);
    }

    [Fact]
    public void ADirectoryHashCoversNamesAndContents()
    {
        var checkpoint = Directory.CreateDirectory(Path.Combine(_dir, "checkpoint")).FullName;
        File.WriteAllText(Path.Combine(checkpoint, "config.json"), "{}");
        File.WriteAllText(Path.Combine(checkpoint, "model.safetensors"), "weights");
        var before = ArtifactRef.Of("checkpoint", checkpoint);
        Assert.Equal(9, before.Size);
        Assert.True(before.IsIntact());

        File.Move(Path.Combine(checkpoint, "config.json"), Path.Combine(checkpoint, "other.json"));
        Assert.False(before.IsIntact());
        Assert.NotEqual(before.Sha256, ArtifactRef.Of("checkpoint", checkpoint).Sha256);
    }

    [Fact]
    public void AChangedOrDeletedFileIsNoLongerIntact()
    {
        var path = Path.Combine(_dir, "data.parquet");
        File.WriteAllText(path, "one");
        var artifact = ArtifactRef.Of("data", path);

        File.WriteAllText(path, "two");
        Assert.False(artifact.IsIntact());
        File.Delete(path);
        Assert.False(artifact.IsIntact());
    }

    [Fact]
    public void AMissingPathIsNamed()
    {
        var error = Assert.Throws<InvalidInputException>(() => ArtifactRef.Of("model", Path.Combine(_dir, "nope")));
        Assert.Contains("nope", error.Message);
    }
}
