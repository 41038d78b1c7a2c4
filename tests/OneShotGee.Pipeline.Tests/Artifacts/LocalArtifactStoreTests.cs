using System.Security.Cryptography;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Tests.Artifacts;

public sealed class LocalArtifactStoreTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-store-").FullName;
    readonly LocalArtifactStore _store;

    public LocalArtifactStoreTests() => _store = new LocalArtifactStore(Path.Combine(_dir, "store"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string WriteFile(string relative, byte[] content)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task FileRoundTripKeepsContentAndReportsItsSha256()
    {
        var content = Random(3_000_000, seed: 1);
        var stored = await _store.PutFileAsync("data/prepared.parquet", WriteFile("in.bin", content));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Sha256);
        Assert.Equal(content.Length, stored.Size);
        // The bindings.localstorage layout: the key is the path below the root.
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_store.Root, "data", "prepared.parquet")));
        Assert.True(stored.IsIntact());

        var fetched = await _store.GetFileAsync("data/prepared.parquet", Path.Combine(_dir, "out", "x.bin"), stored.Sha256);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_dir, "out", "x.bin")));
        Assert.Equal(stored.Sha256, fetched.Sha256);
    }

    [Fact]
    public async Task TamperedArtifactIsDetectedAndTheTargetIsLeftUntouched()
    {
        var stored = await _store.PutFileAsync("model.safetensors", WriteFile("in.bin", Random(10_000, seed: 2)));
        using (var file = File.OpenWrite(Path.Combine(_store.Root, "model.safetensors"))) file.WriteByte(0x42);
        var target = WriteFile("target.bin", [1, 2, 3]);

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => _store.GetFileAsync("model.safetensors", target, stored.Sha256));
        Assert.Contains(stored.Sha256, error.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
        Assert.Empty(Directory.EnumerateFiles(_dir, "~*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task DirectoryRoundTripReproducesTheCheckpointAndItsHash()
    {
        var checkpoint = Path.Combine(_dir, "ckpt");
        WriteFile("ckpt/config.json", "{\"dim\": 8}"u8.ToArray());
        WriteFile("ckpt/model.safetensors", Random(200_000, seed: 3));
        WriteFile("ckpt/tokenizer/vocab.json", "{}"u8.ToArray());
        var expected = ArtifactRef.Of("runs/r1/checkpoint", checkpoint);

        var stored = await _store.PutDirectoryAsync("runs/r1/checkpoint", checkpoint);
        Assert.Equal(expected.Sha256, stored.Sha256);
        Assert.Equal(
            ["runs/r1/checkpoint.files.json", "runs/r1/checkpoint/config.json", "runs/r1/checkpoint/model.safetensors", "runs/r1/checkpoint/tokenizer/vocab.json"],
            await _store.ListAsync("runs/r1")); // the files and, beside them, their list

        var fetched = await _store.GetDirectoryAsync("runs/r1/checkpoint", Path.Combine(_dir, "restored"), stored.Sha256);
        Assert.Equal(expected.Sha256, fetched.Sha256);
        Assert.Equal(File.ReadAllBytes(Path.Combine(checkpoint, "model.safetensors")), File.ReadAllBytes(Path.Combine(_dir, "restored", "model.safetensors")));
    }

    [Fact]
    public async Task DirectoryWithAMissingFileFailsItsHashCheck()
    {
        WriteFile("ckpt/a.bin", [1]);
        WriteFile("ckpt/b.bin", [2]);
        var stored = await _store.PutDirectoryAsync("ckpt", Path.Combine(_dir, "ckpt"));
        await _store.DeleteAsync("ckpt/b.bin");

        await Assert.ThrowsAsync<ArtifactIntegrityException>(() => _store.GetDirectoryAsync("ckpt", Path.Combine(_dir, "restored"), stored.Sha256));
        Assert.False(Directory.Exists(Path.Combine(_dir, "restored")));
    }

    [Fact]
    public async Task PuttingADirectoryAgainRemovesFilesItNoLongerHas()
    {
        WriteFile("v1/a.bin", [1]);
        WriteFile("v1/old.bin", [2]);
        WriteFile("v2/a.bin", [3]);
        await _store.PutDirectoryAsync("ckpt", Path.Combine(_dir, "v1"));
        await _store.PutDirectoryAsync("ckpt", Path.Combine(_dir, "v2"));
        Assert.Equal(["ckpt/a.bin"], await _store.ListAsync("ckpt"));
    }

    [Theory]
    [InlineData("../outside.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../outside.bin")]
    [InlineData("~temp")]
    [InlineData("")]
    public async Task MaliciousKeysAreRejectedBeforeTouchingTheDisk(string key)
    {
        var source = WriteFile("in.bin", [1, 2, 3]);
        await Assert.ThrowsAsync<InvalidInputException>(() => _store.PutFileAsync(key, source));
        await Assert.ThrowsAsync<InvalidInputException>(() => _store.GetFileAsync(key, Path.Combine(_dir, "out.bin")));
        await Assert.ThrowsAsync<InvalidInputException>(() => _store.DeleteAsync(key));
        Assert.False(File.Exists(Path.Combine(_dir, "outside.bin")));
    }

    [Fact]
    public async Task MissingArtifactIsReportedByKey()
    {
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => _store.GetFileAsync("absent.bin", Path.Combine(_dir, "out.bin")));
        Assert.Contains("absent.bin", error.Message);
        Assert.False(await _store.ExistsAsync("absent.bin"));
        Assert.Empty(await _store.ListAsync());
    }

    [Fact]
    public async Task ListAndDeleteWorkByPrefixSegmentNotByStringPrefix()
    {
        foreach (var key in new[] { "runs/r1/a", "runs/r1/b/c", "runs/r10/a", "other" })
            await _store.PutFileAsync(key, WriteFile("in.bin", [7]));

        Assert.Equal(["runs/r1/a", "runs/r1/b/c"], await _store.ListAsync("runs/r1"));
        await _store.DeleteAsync("runs/r1");
        Assert.Equal(["other", "runs/r10/a"], await _store.ListAsync());
    }

    [Fact]
    public async Task ReadersSeeTheOldOrTheNewFileNeverAMixture()
    {
        var old = Random(4_000_000, seed: 4);
        var @new = Random(4_000_000, seed: 5);
        await _store.PutFileAsync("big.bin", WriteFile("old.bin", old));
        var newPath = WriteFile("new.bin", @new);
        var oldSha = Convert.ToHexStringLower(SHA256.HashData(old));
        var newSha = Convert.ToHexStringLower(SHA256.HashData(@new));

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++) await _store.PutFileAsync("big.bin", i % 2 == 0 ? newPath : Path.Combine(_dir, "old.bin"));
        });
        var seen = new List<string>();
        while (!writer.IsCompleted)
            seen.Add(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_store.Root, "big.bin")))));
        await writer;

        Assert.NotEmpty(seen);
        Assert.All(seen, sha => Assert.True(sha == oldSha || sha == newSha));
        Assert.Equal(["big.bin"], await _store.ListAsync());
    }

    /// <summary>A store whose listing returns one page, as Azure Blob's binding does past 5,000 objects.</summary>
    sealed class OnePageListing(IArtifactStore inner, int page) : IArtifactStore
    {
        public string UriOf(string key) => inner.UriOf(key);
        public Task<ArtifactRef> PutFileAsync(string key, string localPath, CancellationToken ct = default) => inner.PutFileAsync(key, localPath, ct);
        public Task<ArtifactRef> GetFileAsync(string key, string localPath, string? expectedSha256 = null, CancellationToken ct = default) =>
            inner.GetFileAsync(key, localPath, expectedSha256, ct);
        public async Task<IReadOnlyList<string>> ListAsync(string prefix = "", CancellationToken ct = default) => [.. (await inner.ListAsync(prefix, ct)).Take(page)];
        public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => inner.ExistsAsync(key, ct);
        public Task DeleteAsync(string keyOrPrefix, CancellationToken ct = default) => inner.DeleteAsync(keyOrPrefix, ct);
    }

    [Fact]
    public async Task ADirectoryDownloadsWholeFromItsFileListWhenTheStoresListingIsCutShort()
    {
        for (var i = 0; i < 5; i++) WriteFile($"checkpoint/shard-{i}.bin", Random(1000, seed: i));
        var stored = await _store.PutDirectoryAsync("runs/r/model", Path.Combine(_dir, "checkpoint"));
        var truncated = new OnePageListing(_store, page: 2);

        var fetched = await truncated.GetDirectoryAsync("runs/r/model", Path.Combine(_dir, "fetched"), stored.Sha256);

        Assert.Equal(stored.Sha256, fetched.Sha256);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(_dir, "fetched")).Length);
        Assert.Equal(["runs/r/model/shard-0.bin", "runs/r/model/shard-4.bin"], (await _store.ListAsync("runs/r/model")).Where(k => k.EndsWith("0.bin") || k.EndsWith("4.bin")));
        Assert.True(await _store.ExistsAsync(ArtifactDirectories.IndexKey("runs/r/model")));
    }
}
