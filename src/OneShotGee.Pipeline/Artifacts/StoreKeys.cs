namespace OneShotGee.Pipeline.Artifacts;

public static class StoreKeys
{
    /// <summary>
    /// The key of a URI this store handed out (<see cref="IArtifactStore.UriOf"/> is the store's base URI followed by
    /// the key; a directory's URI ends in '/'), or null for a URI elsewhere. The key is checked like any artifact name.
    /// </summary>
    public static string? KeyOf(this IArtifactStore store, string uri)
    {
        const string probe = "k";
        var root = store.UriOf(probe)[..^probe.Length];
        if (!uri.StartsWith(root, StringComparison.Ordinal) || uri.Length == root.Length) return null;
        return ArtifactName.Validate(uri[root.Length..].TrimEnd('/'));
    }
}
