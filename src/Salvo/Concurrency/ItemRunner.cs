namespace Salvo.Concurrency;

/// <summary>Waits for one item's task and reports it to its run; pooled per run, so items allocate nothing here.</summary>
/// <remarks>
/// At most <c>MaxConcurrency</c> items are in flight, so a run needs at most that many runners, each reused
/// once its item is reported. The continuation is registered with <c>UnsafeOnCompleted</c> and
/// <c>ConfigureAwait(false)</c>: it only files the result under the run's lock (no user code), so it needs
/// neither the caller's execution context nor its synchronization context.
/// </remarks>
internal sealed class ItemRunner<TSource, TResult>
{
    private readonly ConcurrentRun<TSource, TResult> _run;
    private readonly Action _onCompleted;
    private Task? _task;
    private TSource _item = default!;
    private int _index;

    public ItemRunner(ConcurrentRun<TSource, TResult> run)
    {
        _run = run;
        _onCompleted = OnCompleted;
    }

    /// <summary>Reports <paramref name="task"/> to the run when it finishes.</summary>
    public void Watch(Task task, int index, TSource item)
    {
        _task = task;
        _index = index;
        _item = item;
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
    }

    private void OnCompleted()
    {
        var task = _task!;
        var item = _item;
        var index = _index;
        _task = null;
        _item = default!;
        _run.OnItemCompleted(this, index, item, task);
    }
}
