using Microsoft.AspNetCore.Http;

namespace OneShotGee.ServiceDefaults;

/// <summary>Reads a request body into memory, refusing it as soon as it is larger than the endpoint accepts.</summary>
public static class RequestBody
{
    /// <param name="what">What the body should be, for the message: "a run config".</param>
    /// <exception cref="RequestTooLargeException">The declared or the received length is over <paramref name="limit"/> bytes.</exception>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit, string what, CancellationToken ct)
    {
        if (request.ContentLength > limit)
            throw new RequestTooLargeException($"request body has {request.ContentLength} bytes; {what} may have at most {limit}");
        using var body = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (body.Length + read > limit) throw new RequestTooLargeException($"request body exceeds {limit} bytes, the most {what} may have");
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }
}
