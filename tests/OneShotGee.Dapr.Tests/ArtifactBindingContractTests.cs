using System.Security.Cryptography;
using Dapr;
using Grpc.Core;
using OneShotGee.Core;
using OneShotGee.Dapr.Tests.Fakes;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Dapr.Tests;

/// <summary>
/// Contract tests of <see cref="DaprBindingArtifactStore"/>. REAL: our store and binding code, the Dapr.Client
/// DaprClient, gRPC over loopback HTTP/2 with the 4 MiB message limit. FAKE: the sidecar and its storage bindings
/// (<see cref="FakeStorageBinding"/>), built from the bindings' documentation, not from a running daprd.
/// </summary>
public sealed class ArtifactBindingContractTests : IAsyncLifetime
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-dapr-").FullName;
    readonly Dictionary<StorageBindingType, FakeStorageBinding> _bindings = [];
    FakeDaprSidecar _sidecar = null!;

    public async Task InitializeAsync()
    {
        foreach (var type in Enum.GetValues<StorageBindingType>())
            _bindings[type] = new FakeStorageBinding($"artifacts-{type}".ToLowerInvariant(), type, Path.Combine(_dir, "sidecar", type.ToString()));
        _sidecar = await FakeDaprSidecar.StartAsync(_bindings.Values, []);
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    DaprBindingArtifactStore Store(StorageBindingType type, int chunkBytes = DaprBindingArtifactStore.DefaultChunkBytes)
    {
        var binding = _bindings[type];
        var root = type == StorageBindingType.LocalStorage ? binding.Root : null;
        return new DaprBindingArtifactStore(new ObjectBinding(_sidecar.CreateClient(), binding.Name, type, root), chunkBytes);
    }

    string WriteRandomFile(string name, long length, int seed)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long written = 0; written < length; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, length - written));
        }
        return path;
    }

    static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [Fact]
    public async Task ChunkedRoundTripOfA50MBFileThroughLocalStorageKeepsItsSha256()
    {
        const long size = 50L << 20;
        var source = WriteRandomFile("big.safetensors", size + 12_345, seed: 50);
        var expected = Sha256Of(source);
        var store = Store(StorageBindingType.LocalStorage);

        var stored = await store.PutFileAsync("runs/r1/model.safetensors", source);
        Assert.Equal(expected, stored.Sha256);
        Assert.Equal(size + 12_345, stored.Size);

        var objects = _bindings[StorageBindingType.LocalStorage].StoredObjects().ToList();
        Assert.Contains("runs/r1/model.safetensors.manifest.json", objects);
        var chunks = objects.Where(o => o.StartsWith("runs/r1/model.safetensors.chunks/", StringComparison.Ordinal)).ToList();
        Assert.Equal(26, chunks.Count); // ceil((50 MiB + 12345) / 2 MiB)
        Assert.All(chunks, c => Assert.True(new FileInfo(Path.Combine(_bindings[StorageBindingType.LocalStorage].Root, c)).Length <= 2 << 20));

        var target = Path.Combine(_dir, "restored", "model.safetensors");
        var fetched = await store.GetFileAsync("runs/r1/model.safetensors", target, expected);
        Assert.Equal(expected, Sha256Of(target));
        Assert.Equal(expected, fetched.Sha256);
        File.Delete(source);
        File.Delete(target);
    }

    [Theory]
    [InlineData(StorageBindingType.LocalStorage, "fileName")]
    [InlineData(StorageBindingType.AwsS3, "key")]
    [InlineData(StorageBindingType.AzureBlobStorage, "blobName")]
    public async Task EachBindingTypeIsAddressedWithItsOwnKeyMetadata(StorageBindingType type, string metadataKey)
    {
        var source = WriteRandomFile("small.bin", 300_000, seed: 7);
        var store = Store(type, chunkBytes: 100_000);

        var stored = await store.PutFileAsync("data/prepared.parquet", source);
        var fetched = await store.GetFileAsync("data/prepared.parquet", Path.Combine(_dir, "out.bin"), stored.Sha256);

        Assert.Equal(Sha256Of(source), fetched.Sha256);
        Assert.Equal([metadataKey], _bindings[type].MetadataKeysSeen);
        Assert.Equal($"dapr://{_bindings[type].Name}/data/prepared.parquet", stored.Uri);
    }

    [Fact]
    public async Task InterruptedUploadLeavesNoManifestAndThePreviousVersionReadable()
    {
        var binding = _bindings[StorageBindingType.LocalStorage];
        var store = Store(StorageBindingType.LocalStorage, chunkBytes: 64 << 10);
        var v1 = WriteRandomFile("v1.bin", 300_000, seed: 1);
        var v2 = WriteRandomFile("v2.bin", 300_000, seed: 2);
        var stored = await store.PutFileAsync("ckpt/model.bin", v1);

        binding.FailCreatesAfter = binding.StoredObjects().Count() + 2; // two chunks of v2 get through, then the sidecar is gone
        await Assert.ThrowsAsync<DaprException>(() => store.PutFileAsync("ckpt/model.bin", v2));
        await Assert.ThrowsAsync<DaprException>(() => store.PutFileAsync("fresh/model.bin", v2));
        binding.FailCreatesAfter = null;

        Assert.Equal(["ckpt/model.bin"], await store.ListAsync());
        Assert.False(await store.ExistsAsync("fresh/model.bin"));
        Assert.DoesNotContain(binding.StoredObjects(), o => o.StartsWith("fresh/", StringComparison.Ordinal) && o.EndsWith(".manifest.json", StringComparison.Ordinal));
        var fetched = await store.GetFileAsync("ckpt/model.bin", Path.Combine(_dir, "out.bin"), stored.Sha256);
        Assert.Equal(Sha256Of(v1), fetched.Sha256);

        await store.DeleteAsync("fresh");
        Assert.DoesNotContain(binding.StoredObjects(), o => o.StartsWith("fresh/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CorruptedChunkIsDetectedOnDownloadAndNothingIsWritten()
    {
        var binding = _bindings[StorageBindingType.LocalStorage];
        var store = Store(StorageBindingType.LocalStorage, chunkBytes: 64 << 10);
        await store.PutFileAsync("model.bin", WriteRandomFile("in.bin", 200_000, seed: 3));
        var chunk = binding.StoredObjects().First(o => o.Contains(".chunks/", StringComparison.Ordinal) && o.EndsWith("000001", StringComparison.Ordinal));
        using (var file = File.Open(Path.Combine(binding.Root, chunk), FileMode.Open))
        {
            file.Position = 100;
            var b = file.ReadByte();
            file.Position = 100;
            file.WriteByte((byte)(b ^ 0xFF));
        }

        var target = Path.Combine(_dir, "out", "model.bin");
        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.GetFileAsync("model.bin", target));
        Assert.Contains(chunk, error.Message);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task ChunksAboveTheSidecarsMessageLimitAreRefused()
    {
        // 3.5 MiB of data is 4.7 MiB as base64: the fake refuses it as daprd would, proving the limit is enforced.
        var store = Store(StorageBindingType.LocalStorage, chunkBytes: 7 << 19);
        var error = await Assert.ThrowsAsync<DaprException>(() => store.PutFileAsync("big.bin", WriteRandomFile("in.bin", 4 << 20, seed: 4)));
        Assert.Equal(StatusCode.ResourceExhausted, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Empty(await store.ListAsync());
    }

    [Theory]
    [InlineData(StorageBindingType.LocalStorage)]
    [InlineData(StorageBindingType.AwsS3)]
    [InlineData(StorageBindingType.AzureBlobStorage)]
    public async Task ListAndDeleteFollowKeySegmentsAcrossPages(StorageBindingType type)
    {
        var store = Store(type, chunkBytes: 1000);
        var source = WriteRandomFile("in.bin", 2500, seed: 5); // three chunks each: listings span several fake pages
        foreach (var key in new[] { "runs/r1/a", "runs/r1/b/c", "runs/r10/a", "other" })
            await store.PutFileAsync(key, source);

        Assert.Equal(["runs/r1/a", "runs/r1/b/c"], await store.ListAsync("runs/r1"));
        Assert.Equal(["other", "runs/r1/a", "runs/r1/b/c", "runs/r10/a"], await store.ListAsync());
        Assert.True(await store.ExistsAsync("runs/r1/b/c"));

        await store.DeleteAsync("runs/r1");
        Assert.Equal(["other", "runs/r10/a"], await store.ListAsync());
        Assert.DoesNotContain(_bindings[type].StoredObjects(), o => o.StartsWith("runs/r1/", StringComparison.Ordinal) || o.StartsWith("runs/r1.", StringComparison.Ordinal));
        Assert.False(await store.ExistsAsync("runs/r1/a"));
    }

    [Fact]
    public async Task LocalStorageLookupsListOnlyTheArtifactsNeighbourhood()
    {
        var store = Store(StorageBindingType.LocalStorage, chunkBytes: 1000);
        var binding = _bindings[StorageBindingType.LocalStorage];
        var source = WriteRandomFile("in.bin", 9500, seed: 8); // ten chunks and a manifest per key
        foreach (var run in Enumerable.Range(0, 5))
            await store.PutFileAsync($"runs/r{run}/model/model.safetensors", source);

        var before = binding.ListedPaths;
        Assert.True(await store.ExistsAsync("runs/r3/model/model.safetensors"));
        Assert.False(await store.ExistsAsync("runs/r9/model/model.safetensors")); // its directory does not exist
        Assert.Equal(["runs/r3/model/model.safetensors"], await store.ListAsync("runs/r3"));

        // One artifact's objects (11) for the first lookup, none for the missing one, one run's for the listing of its
        // parent "runs" … which is every run: the parent of a top-level run prefix is the runs folder.
        Assert.Equal(11 + 0 + 5 * 11, binding.ListedPaths - before);
    }

    [Fact]
    public async Task CheckpointDirectoryRoundTripsWithItsDirectoryHash()
    {
        var checkpoint = Path.Combine(_dir, "ckpt");
        WriteRandomFile("ckpt/model.safetensors", 500_000, seed: 6);
        File.WriteAllText(Path.Combine(checkpoint, "config.json"), "{\"dim\":8}");
        var store = Store(StorageBindingType.AwsS3, chunkBytes: 128 << 10);

        var stored = await store.PutDirectoryAsync("runs/r1/checkpoint-10", checkpoint);
        Assert.Equal(ArtifactRef.Of("x", checkpoint).Sha256, stored.Sha256);
        var fetched = await store.GetDirectoryAsync("runs/r1/checkpoint-10", Path.Combine(_dir, "restored"), stored.Sha256);
        Assert.Equal(stored.Sha256, fetched.Sha256);
    }

    [Fact]
    public async Task A_stored_checkpoint_downloads_by_its_uri_as_the_directory_it_was()
    {
        var checkpoint = Path.Combine(_dir, "final");
        WriteRandomFile("final/model.safetensors", 300_000, seed: 7);
        File.WriteAllText(Path.Combine(checkpoint, "config.json"), "{\"hidden_size\":8}");
        var stored = await Store(StorageBindingType.AwsS3).PutOnceAsync("runs/r1/model-gee", ArtifactRef.Of("model-gee", checkpoint), Path.Combine(_dir, "tmp"));
        var client = _sidecar.CreateClient();
        var target = Path.Combine(_dir, "downloaded");

        var fetched = await ArtifactDownload.GetAsync(client, stored.Uri, StorageBindingType.AwsS3, null, target, stored.Sha256, CancellationToken.None);

        Assert.Equal("dapr://artifacts-awss3/runs/r1/model-gee/", stored.Uri);
        Assert.Equal(stored.Sha256, fetched.Sha256);
        Assert.Equal(File.ReadAllBytes(Path.Combine(checkpoint, "model.safetensors")), File.ReadAllBytes(Path.Combine(target, "model.safetensors")));
        Assert.Equal(["config.json", "model.safetensors"], Directory.GetFiles(target).Select(Path.GetFileName).Order());

        var wrong = await Assert.ThrowsAsync<ArtifactIntegrityException>(() =>
            ArtifactDownload.GetAsync(client, stored.Uri, StorageBindingType.AwsS3, null, Path.Combine(_dir, "other"), new string('0', 64), CancellationToken.None));
        Assert.Contains("was expected", wrong.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "other")));
        var notDapr = await Assert.ThrowsAsync<InvalidInputException>(() =>
            ArtifactDownload.GetAsync(client, "file:///tmp/x/", StorageBindingType.AwsS3, null, target, null, CancellationToken.None));
        Assert.Contains("not a Dapr artifact URI", notDapr.Message);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("model.manifest.json")]
    [InlineData("model.chunks/000000")]
    public async Task UnsafeOrReservedKeysAreRejectedBeforeAnyCall(string key)
    {
        var store = Store(StorageBindingType.LocalStorage);
        await Assert.ThrowsAsync<InvalidInputException>(() => store.PutFileAsync(key, WriteRandomFile("in.bin", 10, seed: 8)));
        Assert.Empty(_bindings[StorageBindingType.LocalStorage].MetadataKeysSeen);
    }
}
