using OneShotGee.Pipeline.Remote;

namespace OneShotGee.Pipeline.Tests.Remote;

public sealed class KeyedLockTests
{
    [Fact]
    public async Task A_second_holder_of_a_key_waits_for_the_first_and_other_keys_do_not()
    {
        var key = Guid.NewGuid().ToString();
        var first = await KeyedLock.AcquireAsync(key, CancellationToken.None);
        var second = KeyedLock.AcquireAsync(key, CancellationToken.None);
        using (await KeyedLock.AcquireAsync(key + "-other", CancellationToken.None)) { }

        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        first.Dispose(); // a second release is ignored

        using var again = await KeyedLock.AcquireAsync(key, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_place_and_leaves_the_key_usable()
    {
        var key = Guid.NewGuid().ToString();
        var holder = await KeyedLock.AcquireAsync(key, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = KeyedLock.AcquireAsync(key, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        holder.Dispose();
        using var again = await KeyedLock.AcquireAsync(key, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
