using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OneShotGee.Services.Tests;

/// <summary>Keeps every entry's level and formatted message, in order, from any thread.</summary>
sealed class RecordingLogger<T> : ILogger<T>
{
    readonly ConcurrentQueue<(LogLevel Level, string Message)> entries = new();

    public IReadOnlyList<LogLevel> Levels => [.. entries.Select(e => e.Level)];
    public IReadOnlyList<string> Messages => [.. entries.Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue((logLevel, formatter(state, exception)));
}
