using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using OneShotGee.Dapr;
using Autogen = Dapr.Client.Autogen.Grpc.v1;

namespace OneShotGee.Dapr.Tests.Fakes;

/// <summary>
/// FAKE: a storage output binding as documented for bindings.localstorage, bindings.aws.s3 and
/// bindings.azure.blobstorage (the S3/Azure ones configured with decodeBase64: "true"). Objects are files under
/// <see cref="Root"/> named by the type's own key metadata (a missing key gets a random name, as the real ones do), so a
/// client sending the wrong metadata key cannot find its objects again. S3 and Azure listings page
/// <see cref="PageSize"/> objects at a time in their own response shapes.
/// </summary>
public sealed class FakeStorageBinding(string name, StorageBindingType type, string root)
{
    readonly object _gate = new();
    int _creates;

    public string Name { get; } = name;
    public StorageBindingType Type { get; } = type;
    public string Root { get; } = root;
    public int PageSize { get; init; } = 3;

    /// <summary>After this many successful creates every further create fails, as if the sidecar went away mid-upload.</summary>
    public int? FailCreatesAfter { get; set; }

    /// <summary>
    /// The next this-many calls fail as a store that dropped the connection would; daprd answers any binding error with
    /// Internal and "error invoking output binding NAME: ..." (dapr pkg/api/grpc/grpc.go InvokeBinding,
    /// messages.ErrInvokeOutputBinding).
    /// </summary>
    public int FailNextCalls { get; set; }

    /// <summary>How many paths localstorage listings have answered in all, to check that lookups list narrowly.</summary>
    public int ListedPaths { get; private set; }

    /// <summary>Metadata key names seen in requests, to check that the client spoke this binding's dialect.</summary>
    public HashSet<string> MetadataKeysSeen { get; } = [];

    /// <summary>Written down from each component's docs, independently of the production code's table.</summary>
    string KeyMetadata => Type switch
    {
        StorageBindingType.LocalStorage => "fileName",
        StorageBindingType.AwsS3 => "key",
        _ => "blobName",
    };

    public IEnumerable<string> StoredObjects() =>
        Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)
            : [];

    public Autogen.InvokeBindingResponse Invoke(Autogen.InvokeBindingRequest request)
    {
        lock (_gate)
        {
            MetadataKeysSeen.UnionWith(request.Metadata.Keys);
            if (FailNextCalls > 0)
            {
                FailNextCalls--;
                throw new RpcException(new Status(StatusCode.Internal, $"error invoking output binding {Name}: read tcp: connection reset by peer"));
            }
            var key = request.Metadata.TryGetValue(KeyMetadata, out var k) ? k : "";
            return request.Operation switch
            {
                "create" => Create(key == "" ? Guid.NewGuid().ToString() : key, request.Data),
                "get" => new() { Data = ByteString.CopyFrom(File.ReadAllBytes(Existing(key))) },
                "delete" => Delete(key),
                "list" => List(key, request.Data),
                _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"unsupported operation {request.Operation}")),
            };
        }
    }

    Autogen.InvokeBindingResponse Create(string key, ByteString data)
    {
        if (FailCreatesAfter is { } limit && _creates >= limit)
            throw new RpcException(new Status(StatusCode.Unavailable, "fake sidecar: connection lost during upload"));
        var text = data.ToStringUtf8();
        byte[] content;
        try { content = Convert.FromBase64String(text); }
        catch (FormatException) when (Type == StorageBindingType.LocalStorage) { content = data.ToByteArray(); } // localstorage keeps non-base64 data as is
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        _creates++;
        return new() { Data = ByteString.CopyFromUtf8(JsonSerializer.Serialize(new { fileName = key })) };
    }

    Autogen.InvokeBindingResponse Delete(string key)
    {
        File.Delete(Existing(key));
        return new();
    }

    Autogen.InvokeBindingResponse List(string fileName, ByteString data)
    {
        var all = StoredObjects().ToList();
        if (Type == StorageBindingType.LocalStorage)
        {
            // localstorage walks the directory its fileName names (the root when empty), failing as os.Stat does.
            var directory = fileName == "" ? Root : PathOf(fileName);
            if (!Directory.Exists(directory))
                throw new RpcException(new Status(StatusCode.Internal, File.Exists(directory)
                    ? $"error invoking output binding {Name}: unable to list files as the file specified is not a directory: {directory}"
                    : $"error invoking output binding {Name}: error getting stats for path {directory}: stat {directory}: no such file or directory"));
            var paths = all.Select(o => Path.Combine(Root, o)).Where(p => p.StartsWith(directory + "/", StringComparison.Ordinal)).ToList();
            ListedPaths += paths.Count;
            return new() { Data = ByteString.CopyFromUtf8(paths.Count == 0 ? "null" : JsonSerializer.Serialize(paths)) };
        }
        var query = data.IsEmpty ? new JsonObject() : JsonNode.Parse(data.ToStringUtf8())!.AsObject();
        var prefix = query["prefix"]?.GetValue<string>() ?? "";
        var marker = query["marker"]?.GetValue<string>() ?? "";
        if (Type == StorageBindingType.AzureBlobStorage && marker != "") marker = Encoding.UTF8.GetString(Convert.FromBase64String(marker));
        var matching = all.Where(o => o.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(o, marker) > 0).ToList();
        var page = matching.Take(PageSize).ToList();
        var more = matching.Count > page.Count;
        if (Type == StorageBindingType.AwsS3)
        {
            var body = new JsonObject
            {
                ["Contents"] = new JsonArray([.. page.Select(o => (JsonNode)new JsonObject { ["Key"] = o, ["Size"] = new FileInfo(PathOf(o)).Length })]),
                ["IsTruncated"] = more,
                ["Prefix"] = prefix,
            };
            return new() { Data = ByteString.CopyFromUtf8(body.ToJsonString()) };
        }
        var response = new Autogen.InvokeBindingResponse
        {
            Data = ByteString.CopyFromUtf8(new JsonArray([.. page.Select(o => (JsonNode)new JsonObject { ["Name"] = o })]).ToJsonString()),
        };
        response.Metadata["number"] = page.Count.ToString();
        response.Metadata["marker"] = more ? Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1])) : "";
        return response;
    }

    string Existing(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? path : throw new RpcException(new Status(StatusCode.Internal, $"error invoking output binding {Name}: file not found: {key}"));
    }

    string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"key '{key}' escapes the binding's root"));
    }
}
