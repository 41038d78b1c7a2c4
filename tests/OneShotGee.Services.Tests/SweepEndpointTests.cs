using System.Net;
using System.Text;
using System.Text.Json;

namespace OneShotGee.Services.Tests;

/// <summary>POST /sweeps and GET /sweeps/{id} on the orchestrator's TestServer, without a sidecar.</summary>
public sealed class SweepEndpointTests
{
    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_sweep_is_scheduled_once_and_its_child_runs_are_readable()
    {
        await using var host = await OrchestratorHost.StartAsync();
        const string body = "{\"sweep_id\": \"lam\", \"base\": {\"train\": {\"max_steps\": 2}}, \"lambda\": [0, 3], \"seed\": [1, 2]}";

        var first = await host.Client.PostAsync("/sweeps", Json(body));
        var again = await host.Client.PostAsync("/sweeps", Json(body));

        Assert.True(first.StatusCode == HttpStatusCode.Accepted, await first.Content.ReadAsStringAsync());
        Assert.Equal("/sweeps/lam", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var sweep = Assert.Single(host.Scheduler.SweepsStarted).Value;
        Assert.Equal(2, sweep.MaxParallel);
        Assert.Equal(4, sweep.Runs.Count);
        Assert.Empty(host.Scheduler.Started); // children are started by the sweep workflow, not by the API

        using var status = JsonDocument.Parse(await host.Client.GetStringAsync("/sweeps/lam"));
        var runs = status.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["lam-0", "lam-1", "lam-2", "lam-3"], runs.Select(r => r.GetProperty("runId").GetString()));
        Assert.All(runs, r => Assert.Equal("pending", r.GetProperty("status").GetString()));
        Assert.Equal(4, status.RootElement.GetProperty("counts").GetProperty("pending").GetInt32());
        Assert.Equal(0, status.RootElement.GetProperty("counts").GetProperty("completed").GetInt32());
        Assert.False(status.RootElement.GetProperty("finished").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/sweeps/nothing")).StatusCode);
    }

    [Fact]
    public async Task A_sweep_without_an_id_is_named_after_its_request_with_locations_made_absolute()
    {
        using var models = new TempDirectory();
        await using var host = await OrchestratorHost.StartAsync(new Dictionary<string, string?> { ["Runs:AllowedModelRoots:0"] = models.Path });
        var model = Path.Combine(models.Path, "m");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, model);
        static string Body(string model) => JsonSerializer.Serialize(new { @base = new { model }, lambda = new[] { 1.0 } });

        var first = await host.Client.PostAsync("/sweeps", Json(Body(model)));
        var again = await host.Client.PostAsync("/sweeps", Json(Body(relative)));

        Assert.True(first.StatusCode == HttpStatusCode.Accepted, await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // the same sweep, already scheduled
        var (sweepId, sweep) = Assert.Single(host.Scheduler.SweepsStarted);
        Assert.Matches("^sweep-[0-9a-f]{12}$", sweepId);
        Assert.Equal($"/sweeps/{sweepId}", first.Headers.Location?.OriginalString);
        Assert.Equal(model, JsonDocument.Parse(Assert.Single(sweep.Runs).ConfigJson).RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("{\"base\": {}}", "at least one of 'lambda', 'kl_coef', 'penalty' and 'seed'")]
    [InlineData("{\"penalty\": [\"l3\"]}", "train")]
    [InlineData("{\"lambda\": [1], \"max_parallel\": 0}", "max_parallel 0 must be from 1 to 16")]
    [InlineData("{\"lambda\": [1], \"base\": {\"model\": \"/models/x\"}}", "is not under an allowed model root")]
    [InlineData("{\"sweep_id\": \"../x\", \"lambda\": [1]}", "run id '../x' is not allowed")]
    [InlineData("", "request body is empty")]
    public async Task Invalid_sweeps_get_400_naming_the_problem(string body, string problem)
    {
        await using var host = await OrchestratorHost.StartAsync();
        var response = await host.Client.PostAsync("/sweeps", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(problem, detail.RootElement.GetProperty("detail").GetString());
        Assert.Empty(host.Scheduler.SweepsStarted);
    }
}
