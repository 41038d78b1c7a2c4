namespace OneShotGee.Pipeline.Remote;

/// <summary>
/// One holder at a time per key within this process, for work that two deliveries may start at once on one host
/// (Dapr delivers activities at least once): a run's directory, an artifact's cache folder. A key's gate is dropped
/// when nobody holds or waits for it.
/// </summary>
static class KeyedLock
{
    static readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable> AcquireAsync(string key, CancellationToken ct)
    {
        SemaphoreSlim gate;
        lock (Gates)
        {
            var (existing, users) = Gates.TryGetValue(key, out var entry) ? entry : (new SemaphoreSlim(1, 1), 0);
            Gates[key] = (existing, users + 1);
            gate = existing;
        }
        try
        {
            await gate.WaitAsync(ct);
        }
        catch
        {
            Leave(key);
            throw;
        }
        return new Holder(key, gate);
    }

    static void Leave(string key)
    {
        lock (Gates)
        {
            var (gate, users) = Gates[key];
            if (users == 1)
            {
                Gates.Remove(key);
                gate.Dispose();
            }
            else Gates[key] = (gate, users - 1);
        }
    }

    sealed class Holder(string key, SemaphoreSlim gate) : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 1) return;
            gate.Release();
            Leave(key);
        }
    }
}
