using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace OneShotGee.ServiceDefaults;

/// <summary>
/// With <c>APP_API_TOKEN</c> set (the token daprd sends to its app, see Dapr's "authenticate requests from Dapr"), every
/// request but the health and metrics probes must carry it in the <c>dapr-api-token</c> header, else 401. Without it
/// every request passes, as in the embedded/dev setup.
/// </summary>
sealed class AppApiTokenMiddleware(RequestDelegate next, IConfiguration configuration, IProblemDetailsService problems)
{
    public const string Variable = "APP_API_TOKEN", Header = "dapr-api-token";

    // Comparing hashes keeps the comparison constant-time in the token's length too.
    readonly byte[]? _expected = string.IsNullOrEmpty(configuration[Variable]) ? null : Hash(configuration[Variable]!);

    public async Task InvokeAsync(HttpContext context)
    {
        if (_expected is null || ServiceDefaultsExtensions.IsInfrastructure(context.Request.Path)
            || context.Request.Headers[Header] is [{ } presented] && CryptographicOperations.FixedTimeEquals(Hash(presented), _expected))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = $"this service requires the '{Header}' header with its app API token ({Variable})",
            },
        });
    }

    static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
