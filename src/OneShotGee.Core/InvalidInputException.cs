namespace OneShotGee.Core;

/// <summary>
/// A user-facing failure caused by bad input (a file, column, option or value). The message names the culprit;
/// the CLI maps it to exit code 2 and the services to HTTP 400.
/// </summary>
public sealed class InvalidInputException(string message, Exception? inner = null) : Exception(message, inner);
