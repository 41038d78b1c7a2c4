using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace OneShotGee.Deploy.Tests;

/// <summary>
/// The real thing, where a Dapr runtime is installed (`dapr init --slim` puts daprd, placement and scheduler in
/// ~/.dapr/bin; add it to PATH) and redis-server is on PATH: every app of tye.yaml with its own daprd in standalone
/// mode on components/ (Redis on a free port, artifacts in a temp directory), a demo-sized run posted to the
/// orchestrator's POST /runs, and its record polled until the workflow completes. Skipped otherwise, also in CI,
/// which installs no Dapr runtime.
/// </summary>
public sealed class DaprEndToEndTests : IDisposable
{
    readonly TempDirectory _temp = new();
    readonly List<Process> _processes = [];

    [SkippableFact]
    public async Task APostedDemoRunCompletesThroughRealSidecars()
    {
        var tools = new[] { "daprd", "placement", "scheduler", "redis-server" }.ToDictionary(t => t, ExternalTool.Find);
        var missing = tools.Where(t => t.Value is null).Select(t => t.Key).ToList();
        Skip.If(missing.Count > 0, $"needs a Dapr runtime and Redis on PATH ({string.Join(", ", missing)} missing): `dapr init --slim` and add ~/.dapr/bin; apt-get install redis-server");

        var redisPort = FreePort();
        Start(tools["redis-server"]!, ["--port", $"{redisPort}", "--save", "", "--appendonly", "no"]);
        var placementPort = FreePort();
        Start(tools["placement"]!, ["--port", $"{placementPort}", "--healthz-port", $"{FreePort()}", "--metrics-port", $"{FreePort()}"]);
        var schedulerPort = FreePort();
        Start(tools["scheduler"]!, ["--port", $"{schedulerPort}", "--etcd-data-dir", Directory.CreateDirectory(_temp.File("etcd")).FullName,
            "--healthz-port", $"{FreePort()}", "--metrics-port", $"{FreePort()}"]);
        var components = WriteComponents(redisPort);

        var work = Directory.CreateDirectory(_temp.File("work")).FullName;
        Uri? orchestrator = null;
        foreach (var app in Repo.TyeApps())
        {
            var (appPort, httpPort, grpcPort) = (FreePort(), FreePort(), FreePort());
            await RunAsync("dotnet", ["build", Repo.PathOf(app.Project), "-v", "q", "-nologo"], TimeSpan.FromMinutes(5));
            Start("dotnet", ["run", "--no-build", "--no-launch-profile", "--project", Repo.PathOf(app.Project)], new()
            {
                ["Urls"] = $"http://127.0.0.1:{appPort}", // overrides appsettings.json, which ASPNETCORE_URLS does not
                ["DAPR_HTTP_PORT"] = $"{httpPort}",
                ["DAPR_GRPC_PORT"] = $"{grpcPort}",
                ["Runs__Store"] = "dapr",
                ["Worker__WorkRoot"] = Path.Combine(work, app.Id),
                ["Worker__Store"] = "dapr",
                ["Worker__BindingRootPath"] = _temp.File("artifacts"),
            });
            Start(tools["daprd"]!, ["--app-id", app.Id, "--app-port", $"{appPort}", "--dapr-http-port", $"{httpPort}",
                "--dapr-grpc-port", $"{grpcPort}", "--metrics-port", $"{FreePort()}", "--resources-path", components,
                "--config", Path.Combine(components, "oneshotgee.yaml"),
                "--placement-host-address", $"127.0.0.1:{placementPort}", "--scheduler-host-address", $"127.0.0.1:{schedulerPort}"]);
            await WaitForAsync(new Uri($"http://127.0.0.1:{httpPort}/v1.0/healthz"), TimeSpan.FromMinutes(2));
            if (app.Id == "orchestrator") orchestrator = new Uri($"http://127.0.0.1:{appPort}");
        }

        using var http = new HttpClient { BaseAddress = orchestrator ?? throw new Xunit.Sdk.XunitException("tye.yaml has no orchestrator") };
        var submitted = await http.PostAsync("/runs", new StringContent(DemoRunJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        string? status = null;
        while (DateTime.UtcNow < deadline && status is not ("completed" or "failed"))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var record = await http.GetAsync("/runs/e2e-demo");
            if (record.IsSuccessStatusCode) status = (string?)JsonNode.Parse(await record.Content.ReadAsStringAsync())!["status"];
        }
        Assert.Equal("completed", status);
    }

    // The demo model, cut to one training step and the paired-gap benchmark (docs/pipeline.md, DemoRun.Config).
    const string DemoRunJson = """
        {
          "model": "demo", "run_id": "e2e-demo",
          "data": { "synthetic": 32, "seed": 15 },
          "held_out": { "synthetic": 16, "seed": 16 },
          "train": { "effective_batch": 4, "micro_batch": 4, "max_new_tokens": 4, "learning_rate": 1e-3, "max_steps": 1, "save_steps": 1, "device": "cpu" },
          "variants": [ { "name": "gee", "lambda": 3 } ],
          "evaluation": { "benchmarks": ["paired"], "paired_options": { "samples_per_prompt": 1, "max_new_tokens": 4 }, "device": "cpu" }
        }
        """;

    /// <summary>components/ with Redis on <paramref name="redisPort"/> and artifacts in the temp directory.</summary>
    string WriteComponents(int redisPort)
    {
        var directory = Directory.CreateDirectory(_temp.File("components")).FullName;
        foreach (var file in Directory.EnumerateFiles(Repo.PathOf("components"), "*.yaml"))
            File.WriteAllText(Path.Combine(directory, Path.GetFileName(file)), File.ReadAllText(file)
                .Replace("localhost:6379", $"127.0.0.1:{redisPort}")
                .Replace("value: /tmp/oneshotgee/artifacts", $"value: {_temp.File("artifacts")}"));
        return directory;
    }

    void Start(string fileName, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _temp.Path };
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    static async Task RunAsync(string fileName, string[] arguments, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} failed: {await output}{await errors}");
    }

    static async Task WaitForAsync(Uri health, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(health)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        throw new TimeoutException($"{health} did not answer within {timeout}");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
        }
        _temp.Dispose();
    }
}
