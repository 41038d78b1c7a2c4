using Microsoft.AspNetCore.Http;
using OneShotGee.ServiceDefaults;

namespace OneShotGee.Services.Tests;

public sealed class RequestBodyTests
{
    static HttpRequest Request(int bytes, bool declareLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(new byte[bytes]);
        if (declareLength) context.Request.ContentLength = bytes;
        return context.Request;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_of_exactly_the_limit_is_read_whole(bool declareLength)
    {
        Assert.Equal(20_000, (await RequestBody.ReadAsync(Request(20_000, declareLength), 20_000, "a run config", CancellationToken.None)).Length);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_reading()
    {
        var request = Request(20_001, declareLength: true);
        var error = await Assert.ThrowsAsync<RequestTooLargeException>(() => RequestBody.ReadAsync(request, 20_000, "a run config", CancellationToken.None));
        Assert.Equal("request body has 20001 bytes; a run config may have at most 20000", error.Message);
        Assert.Equal(0, request.Body.Position);
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_refused_once_it_passes_it()
    {
        var error = await Assert.ThrowsAsync<RequestTooLargeException>(() =>
            RequestBody.ReadAsync(Request(20_001, declareLength: false), 20_000, "a step request", CancellationToken.None));
        Assert.Equal("request body exceeds 20000 bytes, the most a step request may have", error.Message);
    }
}
