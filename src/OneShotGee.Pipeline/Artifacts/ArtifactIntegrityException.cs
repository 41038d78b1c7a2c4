namespace OneShotGee.Pipeline.Artifacts;

/// <summary>Stored content does not match its recorded or expected SHA-256 (corruption, tampering, a torn write).</summary>
public sealed class ArtifactIntegrityException(string message) : IOException(message);
