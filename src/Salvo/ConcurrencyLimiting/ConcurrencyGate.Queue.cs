namespace Salvo.ConcurrencyLimiting;

internal sealed partial class ConcurrencyGate
{
    private Waiter? _head;
    private Waiter? _tail;

    // All of these run under _lock.
    private void Append(Waiter waiter)
    {
        waiter.Queued = true;
        waiter.Previous = _tail;
        if (_tail is null)
            _head = waiter;
        else
            _tail.Next = waiter;
        _tail = waiter;
        _queued++;
    }

    private void Unlink(Waiter waiter)
    {
        if (waiter.Previous is null)
            _head = waiter.Next;
        else
            waiter.Previous.Next = waiter.Next;
        if (waiter.Next is null)
            _tail = waiter.Previous;
        else
            waiter.Next.Previous = waiter.Previous;
        waiter.Next = waiter.Previous = null;
        waiter.Queued = false;
        _queued--;
    }

    /// <summary>Unlinks as many waiters from the head as there are free slots, each now holding one; returns them chained by <see cref="Waiter.Next"/>.</summary>
    private Waiter? TakeRunnable()
    {
        Waiter? first = null;
        Waiter? last = null;
        while (_head is { } waiter && _inFlight < _limit)
        {
            Unlink(waiter);
            _inFlight++;
            _granted++;
            if (last is null)
                first = waiter;
            else
                last.Next = waiter;
            last = waiter;
        }
        return first;
    }

    // Outside the lock: each continuation is queued to the thread pool, never run on the releasing thread.
    private static void Grant(Waiter? granted)
    {
        while (granted is not null)
        {
            var next = granted.Next;
            granted.Next = null;
            granted.Complete(GateStatus.Entered);
            granted = next;
        }
    }
}
