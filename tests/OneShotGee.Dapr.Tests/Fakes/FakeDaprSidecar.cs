using System.Net;
using Dapr.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Autogen = Dapr.Client.Autogen.Grpc.v1;

namespace OneShotGee.Dapr.Tests.Fakes;

/// <summary>
/// FAKE sidecar, REAL transport: Kestrel on 127.0.0.1 (ephemeral port, HTTP/2) serving the gRPC service
/// <c>dapr.proto.runtime.v1.Dapr</c> with Dapr.Protos' message types, and only the methods our code calls (InvokeBinding,
/// GetState, SaveState) bound, over <see cref="FakeStorageBinding"/> and <see cref="FakeStateStore"/>. Like daprd it refuses
/// messages above 4 MiB (its default max body size). <see cref="CreateClient"/> gives the REAL DaprClient pointed at it.
/// </summary>
public sealed class FakeDaprSidecar : IAsyncDisposable
{
    public const int MaxMessageBytes = 4 << 20;

    readonly WebApplication _app;

    FakeDaprSidecar(WebApplication app, Sidecar sidecar)
    {
        _app = app;
        Bindings = sidecar.Bindings;
        States = sidecar.States;
    }

    public Dictionary<string, FakeStorageBinding> Bindings { get; }
    public Dictionary<string, FakeStateStore> States { get; }

    public int Port => new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    public static async Task<FakeDaprSidecar> StartAsync(IEnumerable<FakeStorageBinding> bindings, IEnumerable<FakeStateStore> states)
    {
        var sidecar = new Sidecar(bindings.ToDictionary(b => b.Name), states.ToDictionary(s => s.Name));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MaxMessageBytes;
            o.MaxSendMessageSize = MaxMessageBytes;
        });
        builder.Services.AddSingleton(sidecar);
        builder.Services.AddSingleton<IServiceMethodProvider<Sidecar>, DaprServiceMethods>();
        var app = builder.Build();
        app.MapGrpcService<Sidecar>();
        await app.StartAsync();
        return new FakeDaprSidecar(app, sidecar);
    }

    public DaprClient CreateClient() => new DaprClientBuilder().UseGrpcEndpoint($"http://127.0.0.1:{Port}").Build();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// Dapr.Protos 1.19 ships only the client side of the Dapr service (no DaprBase), so the methods are bound here by
    /// their wire names, the way grpc-dotnet binds code-first services.
    /// </summary>
    sealed class DaprServiceMethods : IServiceMethodProvider<Sidecar>
    {
        const string Service = "dapr.proto.runtime.v1.Dapr";

        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<Sidecar> context)
        {
            context.AddUnaryMethod(Unary("InvokeBinding", Autogen.InvokeBindingRequest.Parser, Autogen.InvokeBindingResponse.Parser), [],
                (sidecar, request, call) => sidecar.InvokeBinding(request, call));
            context.AddUnaryMethod(Unary("GetState", Autogen.GetStateRequest.Parser, Autogen.GetStateResponse.Parser), [],
                (sidecar, request, call) => sidecar.GetState(request, call));
            context.AddUnaryMethod(Unary("SaveState", Autogen.SaveStateRequest.Parser, Empty.Parser), [],
                (sidecar, request, call) => sidecar.SaveState(request, call));
        }

        static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
            where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse> =>
            new(MethodType.Unary, Service, name,
                Marshallers.Create(m => m.ToByteArray(), request.ParseFrom),
                Marshallers.Create(m => m.ToByteArray(), response.ParseFrom));
    }

    sealed class Sidecar(Dictionary<string, FakeStorageBinding> bindings, Dictionary<string, FakeStateStore> states)
    {
        public Dictionary<string, FakeStorageBinding> Bindings { get; } = bindings;
        public Dictionary<string, FakeStateStore> States { get; } = states;

        public Task<Autogen.InvokeBindingResponse> InvokeBinding(Autogen.InvokeBindingRequest request, ServerCallContext context) =>
            Task.FromResult(Find(Bindings, request.Name, "binding").Invoke(request));

        public Task<Autogen.GetStateResponse> GetState(Autogen.GetStateRequest request, ServerCallContext context) =>
            Task.FromResult(Find(States, request.StoreName, "state store").Get(request));

        public Task<Empty> SaveState(Autogen.SaveStateRequest request, ServerCallContext context)
        {
            Find(States, request.StoreName, "state store").Save(request);
            return Task.FromResult(new Empty());
        }

        static T Find<T>(Dictionary<string, T> components, string name, string kind) =>
            components.TryGetValue(name, out var component)
                ? component
                : throw new RpcException(new Status(StatusCode.InvalidArgument, $"{kind} {name} is not configured"));
    }
}
