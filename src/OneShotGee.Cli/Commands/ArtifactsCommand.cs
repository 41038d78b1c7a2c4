using System.CommandLine;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using OneShotGee.Dapr;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee artifacts get</c>: a run's artifact out of the services' Dapr artifact store, as plain files.</summary>
public static class ArtifactsCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = new Argument<string>("uri") { Description = "The artifact's URI as GET /runs/<id> lists it, e.g. dapr://artifacts/runs/<id>/model-gee/." };
        var output = new Option<string>("--out", "-o") { Description = "Where to write it: a directory for a directory artifact (ending in '/'), else a file.", Required = true };
        var sha256 = new Option<string?>("--sha256") { Description = "The SHA-256 the run recorded; the download must match it." };
        var bindingType = new Option<StorageBindingType>("--binding-type")
        {
            Description = "The binding's component type (the cluster's artifacts component is AwsS3).",
            DefaultValueFactory = _ => StorageBindingType.AwsS3,
        };
        var rootPath = new Option<string?>("--binding-root-path") { Description = "LocalStorage only: the component's rootPath as its sidecar sees it." };
        var endpoint = new Option<string>("--dapr-grpc-endpoint")
        {
            Description = "The sidecar's gRPC endpoint (default: DAPR_GRPC_ENDPOINT, else http://localhost:50001); DAPR_API_TOKEN is sent when set.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DAPR_GRPC_ENDPOINT") is { Length: > 0 } e ? e : "http://localhost:50001",
        };
        var get = new Command("get", """
            Download an artifact through a Dapr sidecar (DAPR_GRPC_ENDPOINT, DAPR_API_TOKEN; e.g. port-forward a worker's
            sidecar port 50001), verifying every chunk and file.
            """)
        {
            uri, output, sha256, bindingType, rootPath, endpoint,
        };
        get.SetAction((parse, cancel) => console.RunAsync(async () =>
        {
            var sidecar = parse.GetValue(endpoint)!;
            using var dapr = new DaprClientBuilder().UseGrpcEndpoint(sidecar).Build();
            try
            {
                var fetched = await ArtifactDownload.GetAsync(dapr, parse.GetValue(uri)!, parse.GetValue(bindingType),
                    parse.GetValue(rootPath), parse.GetValue(output)!, parse.GetValue(sha256), cancel);
                console.Output.WriteLine($"{fetched.LocalPath}  {fetched.Size} bytes  sha256 {fetched.Sha256}");
            }
            catch (DaprException e) when (e.InnerException is RpcException rpc)
            {
                throw new IOException($"the Dapr sidecar at {sidecar} answered {rpc.StatusCode}: {rpc.Status.Detail}", e);
            }
        }));
        return new Command("artifacts", "Artifacts of runs executed by the services.") { get };
    }
}
