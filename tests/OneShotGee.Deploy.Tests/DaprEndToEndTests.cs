using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace OneShotGee.Deploy.Tests;

/// <summary>
/// The real thing, where the Dapr CLI and runtime are installed (`dapr init --slim` puts daprd, placement and
/// scheduler in ~/.dapr/bin) and redis-server is on PATH: `dapr run -f` (Multi-App Run) on dapr.yaml, the file a
/// developer runs, with only the infrastructure it names moved to what this test starts (Redis, placement and
/// scheduler on free ports; runs and artifacts in a temp directory); a demo-sized run posted to the orchestrator's
/// POST /runs, and its record polled until the workflow completes. Skipped otherwise, also in CI, which installs no
/// Dapr. The apps listen on dapr.yaml's fixed ports (5100-5103), which must be free.
/// </summary>
public sealed class DaprEndToEndTests : IDisposable
{
    const string LocalRoot = "/tmp/oneshotgee"; // where dapr.yaml and components/ keep runs, work and artifacts

    readonly TempDirectory _temp = new();
    readonly List<Process> _processes = [];
    (string Dapr, string RunFile)? _multiAppRun;

    [SkippableFact]
    public async Task APostedDemoRunCompletesUnderDaprMultiAppRunOfDaprYaml()
    {
        // dapr/cli pkg/standalone/common.go GetDaprRuntimePath and lookupBinaryFilePath: the CLI runs
        // <DAPR_RUNTIME_PATH or home>/.dapr/bin/daprd.
        var runtimeRoot = Environment.GetEnvironmentVariable("DAPR_RUNTIME_PATH") is { Length: > 0 } root ? root : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var daprBin = Path.Combine(runtimeRoot, ".dapr", "bin");
        string? InDaprBinOrPath(string name) => File.Exists(Path.Combine(daprBin, name)) ? Path.Combine(daprBin, name) : ExternalTool.Find(name);
        var tools = new Dictionary<string, string?>
        {
            ["dapr"] = ExternalTool.Find("dapr"),
            ["daprd"] = File.Exists(Path.Combine(daprBin, "daprd")) ? Path.Combine(daprBin, "daprd") : null,
            ["placement"] = InDaprBinOrPath("placement"),
            ["scheduler"] = InDaprBinOrPath("scheduler"),
            ["redis-server"] = ExternalTool.Find("redis-server"),
        };
        var missing = tools.Where(t => t.Value is null).Select(t => t.Key).ToList();
        Skip.If(missing.Count > 0, $"needs the Dapr CLI and runtime and Redis ({string.Join(", ", missing)} missing): install the dapr CLI, `dapr init --slim`; apt-get install redis-server");

        var runFile = Yaml.LoadFile(Repo.PathOf("dapr.yaml")).Single();
        var apps = runFile.List("apps").Cast<Dictionary<object, object>>().ToList();
        foreach (var app in apps)
        {
            var port = int.Parse(app.Text("appPort")!);
            Assert.True(IsFree(port), $"dapr.yaml gives {app.Text("appID")} port {port}, which is in use");
            // The command is `dotnet run --project <project>` in appDirPath (ConsistencyTests): build each first, so the
            // four `dotnet run`s that Multi-App Run starts at once find their shared projects up to date.
            var project = Path.GetFullPath(Path.Combine(Repo.Root, app.Text("appDirPath")!, app.Strings("command").ElementAt(3)));
            await RunAsync("dotnet", ["build", project, "-v", "q", "-nologo"], TimeSpan.FromMinutes(5));
        }

        var redisPort = FreePort();
        Start(tools["redis-server"]!, ["--port", $"{redisPort}", "--save", "", "--appendonly", "no"]);
        var placementPort = FreePort();
        Start(tools["placement"]!, ["--port", $"{placementPort}", "--healthz-port", $"{FreePort()}", "--metrics-port", $"{FreePort()}"]);
        var schedulerPort = FreePort();
        Start(tools["scheduler"]!, ["--port", $"{schedulerPort}", "--etcd-data-dir", Directory.CreateDirectory(_temp.File("etcd")).FullName,
            "--healthz-port", $"{FreePort()}", "--metrics-port", $"{FreePort()}"]);

        var components = WriteComponents(redisPort);
        var file = _temp.Write("dapr.yaml", MultiAppRunFile(components, $"127.0.0.1:{placementPort}", $"127.0.0.1:{schedulerPort}", Local));
        _multiAppRun = (tools["dapr"]!, file);
        Start(tools["dapr"]!, ["run", "-f", file]);

        var orchestrator = apps.SingleOrDefault(a => a.Text("appID") == "orchestrator") ?? throw new Xunit.Sdk.XunitException("dapr.yaml has no orchestrator");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{orchestrator.Text("appPort")}") };
        await WaitForAsync(new Uri(http.BaseAddress, "/healthz"), TimeSpan.FromMinutes(5));
        // The app answers before its sidecar has connected to the workflow engine: resubmit until accepted (200: an
        // earlier attempt got the run in after all).
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        HttpStatusCode submitted;
        while ((submitted = (await http.PostAsync("/runs", new StringContent(DemoRunJson, Encoding.UTF8, "application/json"))).StatusCode)
               is not (HttpStatusCode.Accepted or HttpStatusCode.OK) && DateTime.UtcNow < deadline)
            await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(submitted is HttpStatusCode.Accepted or HttpStatusCode.OK, $"POST /runs answered {submitted}");

        deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        string? status = null;
        while (DateTime.UtcNow < deadline && status is not ("completed" or "failed"))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var record = await http.GetAsync("/runs/e2e-demo");
            if (record.IsSuccessStatusCode) status = (string?)JsonNode.Parse(await record.Content.ReadAsStringAsync())!["status"];
        }
        Assert.Equal("completed", status);
    }

    /// <summary>
    /// dapr.yaml as it is, but for where the infrastructure is: dapr/cli pkg/standalone/run.go SharedRunConfig
    /// (placementHostAddress, schedulerHostAddress; common's fields apply to every app,
    /// pkg/runfileconfig/run_file_config_parser.go mergeCommonAndAppsSharedRunConfig), the given components, paths
    /// under /tmp/oneshotgee moved by <paramref name="local"/>, and the app directories made absolute, since the file
    /// will not sit beside dapr.yaml (validateRunConfig resolves them against the run file's directory).
    /// </summary>
    internal static string MultiAppRunFile(string components, string placement, string scheduler, Func<string, string> local)
    {
        var runFile = Yaml.LoadFile(Repo.PathOf("dapr.yaml")).Single();
        var common = runFile.Map("common");
        common["resourcesPaths"] = new List<object> { components };
        common["configFilePath"] = Path.Combine(components, Path.GetFileName(common.Text("configFilePath")!));
        common["placementHostAddress"] = placement;
        common["schedulerHostAddress"] = scheduler;
        foreach (var app in runFile.List("apps").Cast<Dictionary<object, object>>())
        {
            app["appDirPath"] = Path.GetFullPath(Path.Combine(Repo.Root, app.Text("appDirPath")!));
            var env = app.Map("env");
            foreach (var name in env.Keys.ToList()) env[name] = local((string)env[name]);
        }
        return new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(Typed(runFile));
    }

    // Yaml reads every scalar as a string; the CLI's typed fields (appPort, enableAppHealthCheck, ...) need theirs back.
    static object? Typed(object? node) => node switch
    {
        Dictionary<object, object> map => map.ToDictionary(e => e.Key, e => Typed(e.Value)),
        List<object> list => list.Select(Typed).ToList(),
        string text when int.TryParse(text, out var number) => number,
        string text when bool.TryParse(text, out var flag) => flag,
        _ => node,
    };

    string Local(string value) => value.Replace(LocalRoot, _temp.Path, StringComparison.Ordinal);

    [Fact]
    public void TheMultiAppRunFileIsDaprYamlWithOnlyTheInfrastructureMoved()
    {
        var derived = Yaml.LoadAll(MultiAppRunFile("/x/components", "127.0.0.1:1", "127.0.0.1:2", v => v.Replace(LocalRoot, "/x", StringComparison.Ordinal))).Single();
        var original = Yaml.LoadFile(Repo.PathOf("dapr.yaml")).Single();
        Assert.Equal(original.Text("version"), derived.Text("version"));
        var common = derived.Map("common");
        Assert.Equal(["/x/components"], common.Strings("resourcesPaths"));
        Assert.Equal("/x/components/oneshotgee.yaml", common.Text("configFilePath"));
        Assert.Equal(("127.0.0.1:1", "127.0.0.1:2"), (common.Text("placementHostAddress"), common.Text("schedulerHostAddress")));
        foreach (var key in original.Map("common").Keys.Cast<string>().Except(["resourcesPaths", "configFilePath"]))
            Assert.Equal(original.Map("common")[key], common[key]);
        var apps = derived.List("apps");
        Assert.Equal(original.List("apps").Count, apps.Count);
        foreach (var (before, after) in original.List("apps").Zip(apps))
        {
            Assert.Equal(Repo.PathOf(before.Text("appDirPath")![2..]), after.Text("appDirPath"));
            Assert.Equal((before.Text("appID"), before.Text("appPort")), (after.Text("appID"), after.Text("appPort")));
            Assert.Equal(before.Strings("command"), after.Strings("command"));
            var env = before.Map("env").ToDictionary(e => e.Key, e => ((string)e.Value).Replace(LocalRoot, "/x", StringComparison.Ordinal));
            Assert.Equal(env.OrderBy(e => e.Key), after.Map("env").ToDictionary(e => e.Key, e => (string)e.Value).OrderBy(e => e.Key));
        }
        // The CLI's yaml.v2 fills int and bool fields only from plain scalars, not quoted strings.
        var text = MultiAppRunFile("/c", "p", "s", v => v);
        Assert.Matches(@"(?m)^\s*appPort: 5100$", text);
        Assert.Matches(@"(?m)^\s*enableAppHealthCheck: true$", text);
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
            File.WriteAllText(Path.Combine(directory, Path.GetFileName(file)), Local(File.ReadAllText(file)).Replace("localhost:6379", $"127.0.0.1:{redisPort}"));
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

    static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_multiAppRun is var (dapr, runFile))
            using (var stop = Process.Start(new ProcessStartInfo(dapr, ["stop", "-f", runFile]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
                stop.WaitForExit(30_000);
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
        }
        _temp.Dispose();
    }
}
