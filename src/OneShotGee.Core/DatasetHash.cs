using System.Security.Cryptography;

namespace OneShotGee.Core;

/// <summary>The SHA-256 (lowercase hex) of a data file, recorded in reports so they name exactly what they measured.</summary>
public static class DatasetHash
{
    public static string Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
