using System.Collections.Concurrent;
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
/// GetState, GetBulkState, SaveState, PublishEvent) bound, over <see cref="FakeStorageBinding"/>, <see cref="FakeStateStore"/>
/// and <see cref="Published"/>; and the workflow client's <c>TaskHubSidecarService</c> (<see cref="FakeWorkflowEngine"/>).
/// Like daprd it refuses messages above 4 MiB (its default max body size), and with a <see cref="FakeResiliency"/> it
/// retries binding and state calls as that policy tells daprd to. Every call is recorded with the
/// <c>dapr-api-token</c> metadata it carried. <see cref="CreateClient"/> gives the REAL DaprClient pointed at it.
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
        Published = sidecar.Published;
        Calls = sidecar.Calls;
        BulkReads = sidecar.BulkReads;
        Workflows = sidecar.Workflows;
    }

    public Dictionary<string, FakeStorageBinding> Bindings { get; }
    public Dictionary<string, FakeStateStore> States { get; }
    public ConcurrentQueue<Autogen.PublishEventRequest> Published { get; }
    public FakeWorkflowEngine Workflows { get; }

    /// <summary>Every call in arrival order: the gRPC method and its <c>dapr-api-token</c> metadata (null when absent).</summary>
    public ConcurrentQueue<(string Method, string? ApiToken)> Calls { get; }

    /// <summary>How many keys each GetBulkState asked for.</summary>
    public ConcurrentQueue<int> BulkReads { get; }

    public string GrpcEndpoint => $"http://127.0.0.1:{Port}";

    public int Port => new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    public static async Task<FakeDaprSidecar> StartAsync(IEnumerable<FakeStorageBinding> bindings, IEnumerable<FakeStateStore> states, FakeResiliency? resiliency = null)
    {
        var sidecar = new Sidecar(bindings.ToDictionary(b => b.Name), states.ToDictionary(s => s.Name), resiliency);
        resiliency?.Check(sidecar.Bindings.Keys.Concat(sidecar.States.Keys));
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
        builder.Services.AddSingleton(sidecar.Workflows);
        builder.Services.AddSingleton<IServiceMethodProvider<FakeWorkflowEngine>, FakeWorkflowEngine.Methods>();
        var app = builder.Build();
        app.MapGrpcService<Sidecar>();
        app.MapGrpcService<FakeWorkflowEngine>();
        await app.StartAsync();
        return new FakeDaprSidecar(app, sidecar);
    }

    public DaprClient CreateClient() => new DaprClientBuilder().UseGrpcEndpoint(GrpcEndpoint).Build();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A unary method of a client-only generated service, bound by its wire name and message parsers.</summary>
    internal static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string service, string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, service, name,
            Marshallers.Create(m => m.ToByteArray(), request.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), response.ParseFrom));

    internal static void Record(ConcurrentQueue<(string, string?)> calls, ServerCallContext context) =>
        calls.Enqueue((context.Method, context.RequestHeaders.GetValue("dapr-api-token")));

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
            context.AddUnaryMethod(Unary("GetBulkState", Autogen.GetBulkStateRequest.Parser, Autogen.GetBulkStateResponse.Parser), [],
                (sidecar, request, call) => sidecar.GetBulkState(request, call));
            context.AddUnaryMethod(Unary("SaveState", Autogen.SaveStateRequest.Parser, Empty.Parser), [],
                (sidecar, request, call) => sidecar.SaveState(request, call));
            context.AddUnaryMethod(Unary("PublishEvent", Autogen.PublishEventRequest.Parser, Empty.Parser), [],
                (sidecar, request, call) => sidecar.PublishEvent(request, call));
        }

        static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
            where TRequest : class, IMessage<TRequest> where TResponse : class, IMessage<TResponse> =>
            FakeDaprSidecar.Unary(Service, name, request, response);
    }

    sealed class Sidecar(Dictionary<string, FakeStorageBinding> bindings, Dictionary<string, FakeStateStore> states, FakeResiliency? resiliency)
    {
        public Dictionary<string, FakeStorageBinding> Bindings { get; } = bindings;
        public Dictionary<string, FakeStateStore> States { get; } = states;
        public ConcurrentQueue<Autogen.PublishEventRequest> Published { get; } = new();
        public ConcurrentQueue<(string Method, string? ApiToken)> Calls { get; } = new();
        public ConcurrentQueue<int> BulkReads { get; } = new();
        public FakeWorkflowEngine Workflows { get; } = new();

        public Task<Autogen.InvokeBindingResponse> InvokeBinding(Autogen.InvokeBindingRequest request, ServerCallContext context)
        {
            Record(Calls, context);
            var binding = Find(Bindings, request.Name, "binding");
            return Outbound(request.Name, () => binding.Invoke(request));
        }

        public Task<Autogen.GetStateResponse> GetState(Autogen.GetStateRequest request, ServerCallContext context)
        {
            Record(Calls, context);
            var store = Find(States, request.StoreName, "state store");
            return Outbound(request.StoreName, () => store.Get(request));
        }

        public Task<Autogen.GetBulkStateResponse> GetBulkState(Autogen.GetBulkStateRequest request, ServerCallContext context)
        {
            Record(Calls, context);
            var store = Find(States, request.StoreName, "state store");
            BulkReads.Enqueue(request.Keys.Count);
            return Outbound(request.StoreName, () =>
            {
                var response = new Autogen.GetBulkStateResponse();
                foreach (var key in request.Keys)
                {
                    var item = store.Get(new Autogen.GetStateRequest { StoreName = request.StoreName, Key = key });
                    response.Items.Add(new Autogen.BulkStateItem { Key = key, Data = item.Data, Etag = item.Etag });
                }
                return response;
            });
        }

        public Task<Empty> SaveState(Autogen.SaveStateRequest request, ServerCallContext context)
        {
            Record(Calls, context);
            var store = Find(States, request.StoreName, "state store");
            // A refused ETag (Aborted: mismatch, InvalidArgument: not a number) is permanent (FakeResiliency, bulk.go).
            return Outbound(request.StoreName, () => { store.Save(request); return new Empty(); },
                e => e.StatusCode is StatusCode.Aborted or StatusCode.InvalidArgument);
        }

        public Task<Empty> PublishEvent(Autogen.PublishEventRequest request, ServerCallContext context)
        {
            Record(Calls, context);
            Published.Enqueue(request);
            return Task.FromResult(new Empty());
        }

        Task<T> Outbound<T>(string component, Func<T> operation, Func<RpcException, bool>? isPermanent = null) =>
            resiliency?.RunOutboundAsync(component, operation, isPermanent) ?? Task.FromResult(operation());

        static T Find<T>(Dictionary<string, T> components, string name, string kind) =>
            components.TryGetValue(name, out var component)
                ? component
                : throw new RpcException(new Status(StatusCode.InvalidArgument, $"{kind} {name} is not configured"));
    }
}
