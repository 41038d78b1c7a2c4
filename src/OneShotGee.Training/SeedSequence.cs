namespace OneShotGee.Training;

/// <summary>
/// Independent seeds derived from (run seed, a, b), e.g. (seed, step, micro-batch) for sampling, so a resumed run
/// draws exactly what the uninterrupted one would without saving any generator state.
/// </summary>
public static class SeedSequence
{
    public static int Derive(int seed, long a, long b)
    {
        var x = Mix((ulong)(uint)seed);
        x = Mix(x ^ (ulong)a);
        x = Mix(x ^ (ulong)b);
        return (int)(x & 0x7FFF_FFFF);
    }

    // SplitMix64's finaliser (Steele, Lea & Flood 2014): consecutive inputs give unrelated outputs.
    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
