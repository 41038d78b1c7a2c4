using System.Security.Cryptography;
using System.Text;
using OneShotGee.Core;

namespace OneShotGee.Pipeline.Artifacts;

/// <summary>
/// A reference to an artifact (a file such as a Parquet dataset, or a directory such as a checkpoint): steps and
/// services pass these, never payloads. A directory's hash covers every file's relative path and content.
/// </summary>
public sealed record ArtifactRef(string Name, string Uri, long Size, string Sha256)
{
    public static ArtifactRef Of(string name, string path)
    {
        ArtifactName.Validate(name);
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) return new(name, new Uri(full).AbsoluteUri, new FileInfo(full).Length, HashFile(full));
        if (Directory.Exists(full))
        {
            var (size, sha) = HashDirectory(full);
            return new(name, new Uri(full + Path.DirectorySeparatorChar).AbsoluteUri, size, sha);
        }
        throw new InvalidInputException($"artifact '{name}' does not exist at '{full}'");
    }

    /// <summary>The local path of a <c>file://</c> artifact.</summary>
    public string LocalPath => new Uri(Uri).LocalPath.TrimEnd(Path.DirectorySeparatorChar);

    /// <summary>True when the artifact is still on disk with the recorded size and content.</summary>
    public bool IsIntact()
    {
        var path = LocalPath;
        if (!File.Exists(path) && !Directory.Exists(path)) return false;
        return Of(Name, path) == this;
    }

    static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static (long Size, string Sha256) HashDirectory(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\n{HashFile(file)}\n"));
            size += new FileInfo(file).Length;
        }
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
