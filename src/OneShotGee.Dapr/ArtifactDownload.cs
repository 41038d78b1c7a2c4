using Dapr.Client;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Dapr;

/// <summary>
/// Gets an artifact a run stored in a Dapr storage binding (<c>dapr://&lt;binding&gt;/&lt;key&gt;</c>, as GET /runs/{id}
/// lists it) back as plain files: a checkpoint directory comes out as the Hugging Face directory it was, each chunk and
/// file verified, the whole directory checked against the run's SHA-256 when given.
/// </summary>
public static class ArtifactDownload
{
    public const string Scheme = "dapr";

    public static Task<ArtifactRef> GetAsync(
        DaprClient dapr, string uri, StorageBindingType type, string? localStorageRootPath, string localPath, string? expectedSha256,
        CancellationToken ct)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != Scheme || parsed.Host.Length == 0)
            throw new InvalidInputException($"'{uri}' is not a Dapr artifact URI (dapr://<binding>/<key>, as GET /runs/<id> lists them)");
        if (type == StorageBindingType.LocalStorage && string.IsNullOrEmpty(localStorageRootPath))
            throw new InvalidInputException("a localstorage binding lists absolute paths: give its rootPath as the sidecar sees it");
        var store = new DaprBindingArtifactStore(new ObjectBinding(dapr, parsed.Host, type, localStorageRootPath));
        return store.GetAsync(uri, localPath, expectedSha256, ct);
    }
}
