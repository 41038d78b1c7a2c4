using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OneShotGee.Core;

namespace OneShotGee.ServiceDefaults;

/// <summary>
/// Failures the caller can act on become ProblemDetails whose detail is the exception's message: bad input (it names
/// the problem) is a 400, a body over the endpoint's limit a 413, a dependency that did not answer in time (the Dapr sidecar) a 503.
/// </summary>
sealed class KnownExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title) = exception switch
        {
            InvalidInputException => (StatusCodes.Status400BadRequest, "Invalid input"),
            RequestTooLargeException => (StatusCodes.Status413PayloadTooLarge, "Request too large"),
            TimeoutException => (StatusCodes.Status503ServiceUnavailable, "Dependency unavailable"),
            _ => (0, ""),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = exception.Message },
        });
    }
}
