using System.Net;
using System.Text;
using System.Text.Json;
using OneShotGee.Pipeline.Config;

namespace OneShotGee.Services.Tests;

/// <summary>The orchestrator's HTTP surface on a TestServer, with no Dapr sidecar present.</summary>
public sealed class OrchestratorEndpointTests
{
    static StringContent Json(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);

    static async Task<string> DetailOf(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task Healthz_answers_without_a_sidecar()
    {
        await using var host = await OrchestratorHost.StartAsync();
        var response = await host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"variants\": []}", "'variants' is empty")]
    [InlineData("{\"model\": ", "request body is not a valid run config")]
    [InlineData("", "request body is empty")]
    [InlineData("{\"run_id\": \"../etc\"}", "run id '../etc' is not allowed")]
    [InlineData("{\"variants\": [{\"name\": \"baseline\"}]}", "variant name 'baseline'")]
    [InlineData("{\"model\": \"/models/qwen\"}", "model '/models/qwen' (resolved to '/models/qwen') is not under an allowed model root (none are configured)")]
    [InlineData("{\"data\": {\"input_path\": \"/etc/passwd\", \"synthetic\": null}}", "data.input_path '/etc/passwd'")]
    [InlineData("{\"evaluation\": {\"paired_prompts\": \"https://x.org/p.jsonl\"}}", "scheme 'https' is not allowed")]
    public async Task Invalid_run_requests_get_400_naming_the_problem(string body, string problem)
    {
        await using var host = await OrchestratorHost.StartAsync();
        var response = await host.Client.PostAsync("/runs", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await DetailOf(response));
        Assert.Empty(host.Scheduler.Started);
    }

    [Fact]
    public async Task Data_under_a_configured_data_root_is_accepted_and_outside_it_refused()
    {
        using var data = new TempDirectory();
        await using var host = await OrchestratorHost.StartAsync(new Dictionary<string, string?> { ["Runs:AllowedDataRoots:0"] = data.Path });
        string Body(string id, string path) => $"{{\"run_id\": \"{id}\", \"data\": {{\"input_path\": \"{path}\", \"synthetic\": null}}}}";

        var inside = await host.Client.PostAsync("/runs", Json(Body("in", Path.Combine(data.Path, "train.jsonl"))));
        var escaping = await host.Client.PostAsync("/runs", Json(Body("out", Path.Combine(data.Path, "..", "train.jsonl"))));

        Assert.Equal(HttpStatusCode.Accepted, inside.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, escaping.StatusCode);
        Assert.Contains($"allowed data root ({data.Path})", await DetailOf(escaping));
        Assert.Equal(["in"], host.Scheduler.Started.Keys);
    }

    /// <summary>The workers resolve nothing against their own working directories: the scheduled config names absolute paths.</summary>
    [Fact]
    public async Task A_relative_data_path_is_scheduled_as_the_absolute_path_it_was_checked_as()
    {
        var workingDirectory = Environment.CurrentDirectory;
        await using var host = await OrchestratorHost.StartAsync(new Dictionary<string, string?> { ["Runs:AllowedDataRoots:0"] = workingDirectory });
        string Body(string path) => $"{{\"data\": {{\"input_path\": \"{path}\", \"synthetic\": null}}}}";

        var relative = await host.Client.PostAsync("/runs", Json(Body("train.jsonl")));
        var absolute = await host.Client.PostAsync("/runs", Json(Body(Path.Combine(workingDirectory, "train.jsonl"))));

        Assert.Equal(HttpStatusCode.Accepted, relative.StatusCode);
        Assert.Equal(HttpStatusCode.OK, absolute.StatusCode); // the same config, so the same run id: already started
        var scheduled = Assert.Single(host.Scheduler.Started.Values);
        var config = RunConfig.Parse(scheduled.ConfigJson, "scheduled config");
        Assert.Equal(Path.Combine(workingDirectory, "train.jsonl"), (string?)config.Data!["input_path"]);
    }

    [Fact]
    public async Task A_run_that_cannot_reach_the_sidecar_gets_503_saying_so()
    {
        await using var host = await OrchestratorHost.StartAsync();
        host.Scheduler.SidecarDown = true;

        var response = await host.Client.PostAsync("/runs", Json("{\"run_id\": \"r1\"}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Dapr sidecar did not answer", await DetailOf(response));
    }

    [Fact]
    public async Task An_oversized_body_is_refused_before_it_is_parsed()
    {
        await using var host = await OrchestratorHost.StartAsync();
        var body = $"{{\"model\": \"demo\", \"padding\": \"{new string('x', 70_000)}\"}}";
        var response = await host.Client.PostAsync("/runs", Json(body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("65536", await DetailOf(response));
    }

    [Fact]
    public async Task A_run_is_scheduled_once_under_its_id_and_its_record_is_readable()
    {
        await using var host = await OrchestratorHost.StartAsync();
        const string body = "{\"run_id\": \"bias-1\", \"train\": {\"micro_batch\": 4}}";

        var first = await host.Client.PostAsync("/runs", Json(body));
        var second = await host.Client.PostAsync("/runs", Json(body));

        Assert.True(first.StatusCode == HttpStatusCode.Accepted, await first.Content.ReadAsStringAsync());
        Assert.Equal("/runs/bias-1", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("\"started\":false", await second.Content.ReadAsStringAsync());
        var input = Assert.Single(host.Scheduler.Started).Value;
        Assert.Equal("bias-1", input.RunId);
        Assert.Equal(4, JsonDocument.Parse(input.ConfigJson).RootElement.GetProperty("train").GetProperty("micro_batch").GetInt32());

        using var record = JsonDocument.Parse(await host.Client.GetStringAsync("/runs/bias-1"));
        Assert.Equal("bias-1", record.RootElement.GetProperty("runId").GetString());
        Assert.Equal("pending", record.RootElement.GetProperty("status").GetString());
        Assert.Equal("scheduled", record.RootElement.GetProperty("stage").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/runs/nobody")).StatusCode);
    }

    [Fact]
    public async Task Recent_runs_are_listed_newest_first_up_to_the_limit()
    {
        await using var host = await OrchestratorHost.StartAsync();
        foreach (var id in new[] { "first", "second", "third" })
            Assert.Equal(HttpStatusCode.Accepted, (await host.Client.PostAsync("/runs", Json($"{{\"run_id\": \"{id}\"}}"))).StatusCode);

        string[] Ids(JsonDocument list) => [.. list.RootElement.EnumerateArray().Select(r => r.GetProperty("runId").GetString()!)];
        using var all = JsonDocument.Parse(await host.Client.GetStringAsync("/runs"));
        using var two = JsonDocument.Parse(await host.Client.GetStringAsync("/runs?limit=2"));

        Assert.Equal(["third", "second", "first"], Ids(all));
        Assert.Equal(["third", "second"], Ids(two));
        Assert.All(all.RootElement.EnumerateArray(), r => Assert.Equal("pending", r.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("ten")]
    public async Task A_limit_outside_1_to_100_is_refused(string limit)
    {
        await using var host = await OrchestratorHost.StartAsync();
        var response = await host.Client.GetAsync($"/runs?limit={limit}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"limit '{limit}' must be a whole number from 1 to 100", await DetailOf(response));
    }

    [Fact]
    public async Task Without_a_run_id_the_id_comes_from_the_config_hash_as_in_the_cli()
    {
        await using var host = await OrchestratorHost.StartAsync();
        var response = await host.Client.PostAsync("/runs", Json("{\"model\": \"demo\"}"));
        var expected = $"gee-{new RunConfig().ContentSha256()[..12]}";
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(expected, Assert.Single(host.Scheduler.Started).Key);
    }

    [Fact]
    public async Task The_subscription_document_lists_the_gee_runs_topic()
    {
        await using var host = await OrchestratorHost.StartAsync();
        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("/dapr/subscribe"));
        var subscription = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("gee-runs", subscription.GetProperty("topic").GetString());
        Assert.Equal("pubsub", subscription.GetProperty("pubsubName").GetString());
        Assert.Equal("runs/events", subscription.GetProperty("route").GetString());
        // An event that keeps failing ends there after the inbound retries, not redelivered every minute for ever.
        Assert.Equal("gee-runs-dead", subscription.GetProperty("deadLetterTopic").GetString());
    }

    [Fact]
    public async Task A_cloud_event_schedules_the_run_and_its_redelivery_does_not_start_another()
    {
        await using var host = await OrchestratorHost.StartAsync();
        const string cloudEvent = """
            {"specversion": "1.0", "type": "com.dapr.event.sent", "source": "cli", "id": "e-1",
             "datacontenttype": "application/json", "data": {"run_id": "from-topic"}}
            """;

        var first = await host.Client.PostAsync("/runs/events", Json(cloudEvent, "application/cloudevents+json"));
        var redelivered = await host.Client.PostAsync("/runs/events", Json(cloudEvent, "application/cloudevents+json"));

        Assert.Contains("SUCCESS", await first.Content.ReadAsStringAsync());
        Assert.Contains("SUCCESS", await redelivered.Content.ReadAsStringAsync());
        Assert.Equal("from-topic", Assert.Single(host.Scheduler.Started).Key);
    }

    [Theory]
    [InlineData("{\"variants\": []}")]
    [InlineData("{\"model\": \"demo\", \"padding\": \"PADDING\"}")]
    public async Task An_invalid_or_oversized_cloud_event_is_dropped_not_retried(string data)
    {
        await using var host = await OrchestratorHost.StartAsync();
        var cloudEvent = $$"""
            {"specversion": "1.0", "type": "com.dapr.event.sent", "source": "cli", "id": "e-2",
             "datacontenttype": "application/json", "data": {{data.Replace("PADDING", new string('x', 70_000))}}}
            """;
        var response = await host.Client.PostAsync("/runs/events", Json(cloudEvent, "application/cloudevents+json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("DROP", await response.Content.ReadAsStringAsync());
        Assert.Empty(host.Scheduler.Started);
    }

    [Fact]
    public async Task Metrics_are_served_as_prometheus_text()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await host.Client.GetAsync("/healthz");
        var response = await host.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync());
    }
}
