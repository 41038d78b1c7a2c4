using System.Security.Cryptography;

namespace OneShotGee.Pipeline.Artifacts;

/// <summary>Copies a stream while hashing it, so a transfer reads its data once.</summary>
public static class HashingCopy
{
    public static async Task<(long Size, string Sha256)> CopyAsync(Stream source, Stream destination, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), ct);
            size += read;
        }
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
