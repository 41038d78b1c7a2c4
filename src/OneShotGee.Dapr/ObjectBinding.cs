using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace OneShotGee.Dapr;

/// <summary>
/// Objects in a Dapr storage binding through its <c>create</c>, <c>get</c>, <c>list</c> and <c>delete</c> operations.
/// Data is sent base64-encoded: bindings.localstorage always decodes base64 it recognises (raw bytes that happen to be
/// valid base64 would be mangled), and the S3 and Azure Blob components must be configured with <c>decodeBase64: "true"</c>
/// (and without <c>encodeBase64</c>, so <c>get</c> answers raw bytes).
/// </summary>
public sealed class ObjectBinding
{
    readonly DaprClient _dapr;
    readonly string _rootPath;

    /// <param name="localStorageRootPath">
    /// bindings.localstorage only: the component's <c>rootPath</c> as the sidecar resolves it; its <c>list</c> answers
    /// with absolute paths on the sidecar's disk, and keys are what follows this root.
    /// </param>
    public ObjectBinding(DaprClient dapr, string bindingName, StorageBindingType type, string? localStorageRootPath = null)
    {
        if (type == StorageBindingType.LocalStorage && string.IsNullOrEmpty(localStorageRootPath))
            throw new ArgumentException("bindings.localstorage lists absolute paths: pass the component's rootPath", nameof(localStorageRootPath));
        _dapr = dapr;
        Name = bindingName;
        Type = type;
        _rootPath = localStorageRootPath?.TrimEnd('/') ?? "";
    }

    public string Name { get; }

    public StorageBindingType Type { get; }

    public Task CreateAsync(string key, ReadOnlySpan<byte> data, CancellationToken ct) =>
        InvokeAsync("create", Encoding.ASCII.GetBytes(Convert.ToBase64String(data)), KeyOnly(key), ct);

    public async Task<ReadOnlyMemory<byte>> GetAsync(string key, CancellationToken ct) =>
        (await InvokeAsync("get", default, KeyOnly(key), ct)).Data;

    public Task DeleteAsync(string key, CancellationToken ct) => InvokeAsync("delete", default, KeyOnly(key), ct);

    /// <summary>Every object key that starts with <paramref name="prefix"/>, following the binding's paging.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct)
    {
        if (Type == StorageBindingType.LocalStorage) return await ListLocalAsync(prefix, ct);
        var keys = new List<string>();
        string? marker = null;
        do
        {
            var response = await InvokeAsync("list", ListRequest(prefix, marker), new Dictionary<string, string>(), ct);
            (var page, marker) = ParseList(response);
            keys.AddRange(page.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)));
        }
        while (!string.IsNullOrEmpty(marker));
        return keys;
    }

    /// <summary>
    /// localstorage lists the directory tree its <c>fileName</c> names (the whole root when empty), without paging, and
    /// fails for a directory that does not exist: list the prefix's parent directory, so a lookup reads one artifact's
    /// neighbours rather than the whole store.
    /// </summary>
    async Task<IReadOnlyList<string>> ListLocalAsync(string prefix, CancellationToken ct)
    {
        var slash = prefix.LastIndexOf('/');
        var directory = slash < 0 ? "" : prefix[..slash];
        try
        {
            var response = await InvokeAsync("list", default, directory == "" ? [] : KeyOnly(directory), ct);
            return [.. ParseList(response).Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))];
        }
        catch (DaprException e) when (e.InnerException is RpcException { StatusCode: StatusCode.Internal } rpc
                                      && rpc.Status.Detail.EndsWith("no such file or directory", StringComparison.Ordinal))
        {
            return [];
        }
    }

    Dictionary<string, string> KeyOnly(string key) => new() { [Type.KeyMetadata()] = key };

    async Task<BindingResponse> InvokeAsync(string operation, ReadOnlyMemory<byte> data, Dictionary<string, string> metadata, CancellationToken ct)
    {
        var request = new BindingRequest(Name, operation) { Data = data };
        foreach (var (k, v) in metadata) request.Metadata.Add(k, v);
        return await _dapr.InvokeBindingAsync(request, ct);
    }

    /// <summary>S3 and Azure filter by prefix and page.</summary>
    static byte[] ListRequest(string prefix, string? marker) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["prefix"] = prefix, ["marker"] = marker ?? "" });

    (IEnumerable<string> Keys, string? NextMarker) ParseList(BindingResponse response)
    {
        var json = response.Data.IsEmpty ? null : JsonNode.Parse(response.Data.Span);
        switch (Type)
        {
            case StorageBindingType.LocalStorage:
                // A JSON array of absolute file paths, or null when there are none.
                return ((json?.AsArray() ?? []).Select(p => KeyOfLocalPath(p!.GetValue<string>())), null);
            case StorageBindingType.AwsS3:
                // ListObjects output: Contents[].Key; NextMarker is only set with a delimiter, else the last key continues.
                var contents = (json?["Contents"]?.AsArray() ?? []).Select(o => o!["Key"]!.GetValue<string>()).ToList();
                var truncated = json?["IsTruncated"]?.GetValue<bool>() ?? false;
                return (contents, truncated ? json?["NextMarker"]?.GetValue<string>() ?? contents.LastOrDefault() : null);
            case StorageBindingType.AzureBlobStorage:
                // A JSON array of blob items; the continuation marker comes back as response metadata "marker".
                response.Metadata.TryGetValue("marker", out var next);
                return ((json?.AsArray() ?? []).Select(b => b!["Name"]!.GetValue<string>()), next);
            default:
                throw new InvalidOperationException($"unknown binding type {Type}");
        }
    }

    string KeyOfLocalPath(string path) =>
        path.StartsWith(_rootPath + "/", StringComparison.Ordinal)
            ? path[(_rootPath.Length + 1)..]
            : throw new InvalidOperationException(
                $"binding '{Name}' listed '{path}', which is not below the configured rootPath '{_rootPath}'; pass the rootPath the sidecar resolves (symlinks included)");
}
