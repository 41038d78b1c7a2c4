namespace OneShotGee.Deploy.Tests;

/// <summary>services/Dockerfile: multi-stage, non-root, exposes the port it serves on, on Ubuntu 24.04 for TorchSharp.</summary>
public class DockerfileTests
{
    readonly Dockerfile _dockerfile = Dockerfile.Load();

    [Fact]
    public void BuildsWithTheSdkAndRunsTheFinalStageAsANumericNonRootUser()
    {
        var build = _dockerfile.Stages.First();
        Assert.Contains("dotnet/sdk:", build.Base);
        Assert.Contains(build.All("RUN"), run => run.Contains("dotnet publish \"$APP_PROJECT\"") && run.Contains("-p:TorchBackend=\"$TORCH_BACKEND\""));
        var final = _dockerfile.Stages[^1];
        Assert.True(_dockerfile.Stages.Count >= 3, "the image needs a build stage and runtime stages");
        Assert.Contains($"--from={build.Name} /app", final.All("COPY").Single());
        var user = final.All("USER").Last();
        Assert.True(int.TryParse(user, out var uid) && uid > 0, $"the final stage runs as '{user}', not a numeric non-root uid");
        Assert.DoesNotContain(_dockerfile.Stages.SelectMany(s => s.All("USER")), u => u is "root" or "0");
    }

    [SkippableFact]
    public void RunsAsTheUserTheDeploymentsRequire()
    {
        var uid = _dockerfile.Stages[^1].All("USER").Last();
        Assert.All(Kustomize.Render("k8s/overlays/gpu").AppDeployments(),
            d => Assert.Equal(uid, d.Text("spec.template.spec.securityContext.runAsUser")));
    }

    [Fact]
    public void ExposesAndServesOnTheAppPortBuildArgument()
    {
        var final = _dockerfile.Stages[^1];
        Assert.Contains("APP_PORT", final.All("ARG"));
        Assert.Equal("${APP_PORT}", final.All("EXPOSE").Single());
        Assert.Contains(final.All("ENV"), env => env.Split(' ').Contains("ASPNETCORE_HTTP_PORTS=${APP_PORT}"));
        Assert.Equal("runtime-${TORCH_BACKEND}", final.Base);
        Assert.Equal("cpu", _dockerfile.Default("TORCH_BACKEND"));
    }

    [Fact]
    public void RuntimeBasesAreUbuntu2404WhoseLibstdcxxHasGlibcxx3432()
    {
        Assert.Contains("noble", _dockerfile.Default("DOTNET_TAG"));
        Assert.Contains("ubuntu24.04", _dockerfile.Default("CUDA_IMAGE"));
        var cpu = _dockerfile.Stages.Single(s => s.Name == "runtime-cpu");
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG}", cpu.Base);
        var cuda = _dockerfile.Stages.Single(s => s.Name == "runtime-cuda");
        Assert.Equal("${CUDA_IMAGE}", cuda.Base);
        Assert.Contains(cuda.All("COPY"), copy => copy.Contains("dotnet/aspnet:10.0-noble /usr/share/dotnet"));
    }

    [Fact]
    public void DockerignoreKeepsBuildOutputsAndGitOutOfTheContext()
    {
        var ignored = File.ReadAllLines(Repo.PathOf(".dockerignore")).Select(l => l.Trim()).ToHashSet();
        Assert.Superset(new HashSet<string> { ".git", "**/bin", "**/obj" }, ignored);
    }
}
