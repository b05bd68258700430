package io.quantsinfra.lake.transfer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One run's share of a {@link WorkerPool}: at most {@code limit} of its tasks run at once on the
 * shared threads, the rest wait here, and {@link #shutdownNow} interrupts and drops only this
 * run's tasks. A thread keeps taking this run's waiting tasks until none is left, then goes back
 * to the pool.
 */
final class RunExecutor extends AbstractExecutorService {
    private final Executor threads;
    private final int limit;
    private final String name;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private final Set<Thread> running = new HashSet<>();
    /** Threads of the pool working for this run, at most {@link #limit}. */
    private int active;
    private boolean shutdown;

    /**
     * @param threads the shared threads
     * @param limit   this run's tasks running at once at most
     * @param name    the name its threads carry while they work for it
     */
    RunExecutor(Executor threads, int limit, String name) {
        this.threads = threads;
        this.limit = Math.max(1, limit);
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException(name + " is shut down");
            }
            if (active >= limit) {
                waiting.add(task);
                return;
            }
            active++;
        }
        threads.execute(() -> work(task));
    }

    /** Runs {@code first}, then this run's waiting tasks, on a pool thread named after the run. */
    private void work(Runnable first) {
        Thread me = Thread.currentThread();
        String poolName = me.getName();
        me.setName(name);
        Runnable task = first;
        try {
            while (task != null) {
                runOne(me, task);
                task = next();
            }
        } catch (RuntimeException | Error e) {
            // a task passed to execute() threw (those from submit() never do): its thread goes on with the rest
            Runnable rest = next();
            if (rest != null) {
                threads.execute(() -> work(rest));
            }
            throw e;
        } finally {
            me.setName(poolName);
        }
    }

    private void runOne(Thread me, Runnable task) {
        synchronized (this) {
            running.add(me);
        }
        try {
            task.run();
        } finally {
            synchronized (this) {
                running.remove(me);
                Thread.interrupted(); // an interrupt meant for this task must not reach another run's
            }
        }
    }

    /** The next waiting task, keeping this thread's place; null, giving the place up, when there is none. */
    private synchronized Runnable next() {
        Runnable task = waiting.poll();
        if (task == null) {
            active--;
            notifyAll();
        }
        return task;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> dropped = new ArrayList<>(waiting);
        waiting.clear();
        for (Thread t : running) {
            t.interrupt();
        }
        return dropped;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && active == 0;
    }

    @Override
    public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
