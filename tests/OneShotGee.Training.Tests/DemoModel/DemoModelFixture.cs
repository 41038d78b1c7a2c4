using OneShotGee.Training.DemoModel;

namespace OneShotGee.Training.Tests.DemoModel;

/// <summary>The demo model built once with the default recipe (~20 s) for every test of the collection.</summary>
public sealed class DemoModelFixture : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("oneshotgee-demo-model-").FullName;

    public DemoModelFixture() => ModelDirectory = DemoModelCache.EnsureBuilt(_root);

    public string ModelDirectory { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class DemoModelCollection : ICollectionFixture<DemoModelFixture>
{
    public const string Name = "demo model";
}
