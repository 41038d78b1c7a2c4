namespace OneShotGee.ServiceDefaults;

/// <summary>A request body over the endpoint's limit: answered with 413 and the limit.</summary>
public sealed class RequestTooLargeException(string message) : Exception(message);
