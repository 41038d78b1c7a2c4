using Google.Protobuf;
using Grpc.Core;
using Autogen = Dapr.Client.Autogen.Grpc.v1;

namespace OneShotGee.Dapr.Tests.Fakes;

/// <summary>
/// FAKE: a state store that answers as daprd in front of Redis does (components-contrib @ c23900d2, dapr @ d8450742).
/// Saves follow <c>state/redis/redis.go</c>: <c>StateStore.parseETag</c> reads the ETag as a number (an empty one, or
/// any under last-write, is 0; a non-numeric one is <c>state.ETagInvalid</c>), and <c>setDefaultQuery</c> (the Lua
/// script) writes when the key is absent, when the ETag equals the stored version, or when the ETag is 0 and the key was
/// not written with first-write; a first-write save marks the key. A refused save is <c>state.ETagMismatch</c> only
/// when the request carries a non-empty ETag (<c>StateStore.Set</c>: <c>req.HasETag()</c>); otherwise it is a plain
/// "failed to set key" error. daprd (<c>pkg/api/grpc/grpc.go</c>, <c>api.SaveState</c> and <c>getStateErrorCode</c>)
/// answers ETagMismatch with Aborted, ETagInvalid with InvalidArgument and anything else with Internal, in the text of
/// <c>messages.ErrStateSave</c>. Not modelled: daprd's app-id key prefix, Redis' own error text after "failed to set key".
/// </summary>
public sealed class FakeStateStore(string name)
{
    readonly object _gate = new();
    readonly Dictionary<string, (ByteString Data, long Version, bool FirstWrite)> _items = [];

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
            foreach (var item in request.States) Save(item);
    }

    void Save(Autogen.StateItem item)
    {
        var concurrency = item.Options?.Concurrency;
        var etag = item.Etag?.Value ?? "";
        long version = 0;
        if (concurrency != Autogen.StateOptions.Types.StateConcurrency.ConcurrencyLastWrite && etag != "" && !long.TryParse(etag, out version))
            throw Failure(StatusCode.InvalidArgument, $"invalid etag value: strconv.Atoi: parsing \"{etag}\": invalid syntax");

        var exists = _items.TryGetValue(item.Key, out var current);
        if (exists && current.Version != version && !(version == 0 && !current.FirstWrite))
            throw etag != ""
                ? Failure(StatusCode.Aborted, $"possible etag mismatch. error from state store: failed to set key {item.Key}")
                : Failure(StatusCode.Internal, $"failed to set key {item.Key}: failed to set key {item.Key}");
        var firstWrite = concurrency == Autogen.StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite || current.FirstWrite;
        _items[item.Key] = (item.Value, current.Version + 1, firstWrite);
    }

    RpcException Failure(StatusCode code, string error) =>
        new(new Status(code, $"failed saving state in state store {Name}: {error}"));
}
