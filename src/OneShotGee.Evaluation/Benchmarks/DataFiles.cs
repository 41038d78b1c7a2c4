using System.Security.Cryptography;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>Locates a benchmark's files under the data directory and fingerprints what was read.</summary>
static class DataFiles
{
    /// <param name="layout">The expected layout under the data directory, for the error message.</param>
    public static string Require(string dataDir, string relativePath, string layout)
    {
        if (!Directory.Exists(dataDir)) throw new InvalidInputException($"data directory '{dataDir}' does not exist");
        var path = Path.Combine(dataDir, relativePath);
        return File.Exists(path) ? path
            : throw new InvalidInputException($"benchmark file '{path}' not found; expected under the data directory: {layout}");
    }

    /// <summary>The files matching <paramref name="pattern"/> in a folder under the data directory, in ordinal order;
    /// none is an error naming the expected layout.</summary>
    public static string[] RequireAny(string dataDir, string relativeDirectory, string pattern, string layout)
    {
        if (!Directory.Exists(dataDir)) throw new InvalidInputException($"data directory '{dataDir}' does not exist");
        var directory = Path.Combine(dataDir, relativeDirectory);
        var paths = Directory.Exists(directory) ? Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal).ToArray() : [];
        return paths.Length > 0 ? paths
            : throw new InvalidInputException($"no benchmark file '{Path.Combine(directory, pattern)}' found; expected under the data directory: {layout}");
    }

    /// <summary>SHA-256 (hex) of the files' bytes, concatenated in the given order.</summary>
    public static string Sha256(params string[] paths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths) hash.AppendData(File.ReadAllBytes(path));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The items, or the <paramref name="limit"/>'s seeded subset of them; an empty file is an error.</summary>
    public static IReadOnlyList<T> Draw<T>(IReadOnlyList<T> items, ItemLimit? limit, string what) =>
        items.Count == 0 ? throw new InvalidInputException($"{what} has no items") : limit?.Draw(items) ?? items;
}
