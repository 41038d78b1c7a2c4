using Google.Protobuf;
using Grpc.Core;
using Autogen = Dapr.Client.Autogen.Grpc.v1;

namespace OneShotGee.Dapr.Tests.Fakes;

/// <summary>
/// FAKE: a state store with ETag semantics as Dapr documents them: a save naming an ETag succeeds only if it is the
/// current one; a first-write save without an ETag only if the key is absent (Redis' insert-only); a mismatch is the
/// gRPC status Aborted that daprd returns for state.ETagMismatch. ETags are per-key version counters.
/// </summary>
public sealed class FakeStateStore(string name)
{
    readonly object _gate = new();
    readonly Dictionary<string, (ByteString Data, long Version)> _items = [];

    public string Name { get; } = name;

    public Autogen.GetStateResponse Get(Autogen.GetStateRequest request)
    {
        lock (_gate)
            return _items.TryGetValue(request.Key, out var item)
                ? new() { Data = item.Data, Etag = item.Version.ToString() }
                : new();
    }

    public void Save(Autogen.SaveStateRequest request)
    {
        lock (_gate)
        {
            foreach (var item in request.States)
            {
                var exists = _items.TryGetValue(item.Key, out var current);
                var etag = item.Etag?.Value ?? "";
                var firstWrite = item.Options?.Concurrency == Autogen.StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite;
                if (etag != "" ? !exists || etag != current.Version.ToString() : firstWrite && exists)
                    throw new RpcException(new Status(StatusCode.Aborted,
                        $"failed saving state in state store {Name}: possible etag mismatch. error from state store: ETag mismatch for key {item.Key}"));
                _items[item.Key] = (item.Value, current.Version + 1);
            }
        }
    }
}
