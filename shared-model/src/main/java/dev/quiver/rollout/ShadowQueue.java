package dev.quiver.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Shadow copies waiting to be scored, and the one background thread that scores them, off the caller's path.
 *
 * <p>Contract:
 * <ul>
 *   <li>Bound: at most {@code capacity} copies wait. {@link #offer} never blocks: when the queue is full, the copy is
 *       dropped and counted ({@link #dropped}), since a shadow must never slow the answer the caller waits for.</li>
 *   <li>Offering is lock-free and makes no system call while the thread is busy or polling: the thread polls the
 *       queue every millisecond while there is work, and only after a second without copies parks until the next
 *       copy wakes it.</li>
 *   <li>Threading: one daemon thread, named {@code threadName}, started by the first copy. It takes the copies waiting,
 *       in order, up to {@code maxRows} rows a batch (at least one copy, however large), and hands each batch to
 *       {@code score}, one at a time. What {@code score} throws is ignored: it reports its own failures, and nothing
 *       but {@link #close} stops the thread.</li>
 *   <li>Shutdown: {@link #close} lets the batch being scored finish and stops the thread; copies still waiting are
 *       never scored, and copies offered after it are ignored.</li>
 * </ul>
 *
 * @param <T> a copy
 */
final class ShadowQueue<T> implements AutoCloseable {

    /** Polls a millisecond apart before the idle thread parks: a second without copies. */
    private static final int IDLE_POLLS = 1000;
    private static final long POLL_NANOS = 1_000_000;

    private final int capacity;
    private final int maxRows;
    private final ToIntFunction<T> rowsOf;
    private final Consumer<List<T>> score;
    private final String threadName;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean closed;
    /** Set by the thread when it has had nothing to do for a second and parks until woken. */
    private volatile boolean asleep;

    /**
     * @param capacity how many copies may wait before new ones are dropped
     * @param maxRows  the most rows a batch takes, when it holds more than one copy
     * @param rowsOf   how many rows a copy holds
     * @param score    scores a batch of copies, on the queue's thread
     */
    ShadowQueue(int capacity, int maxRows, ToIntFunction<T> rowsOf, Consumer<List<T>> score, String threadName) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be at least 0, was " + capacity);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
        this.capacity = capacity;
        this.maxRows = maxRows;
        this.rowsOf = rowsOf;
        this.score = score;
        this.threadName = threadName;
    }

    /** Queues a copy for the thread without waiting; false when it was dropped (queue full) or ignored (closed). */
    boolean offer(T copy) {
        if (closed) {
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        queue.add(copy);
        Thread t = thread;
        if (t == null) {
            start();
        } else if (asleep) {
            asleep = false;
            LockSupport.unpark(t);
        }
        return true;
    }

    /** Copies dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    /** Copies waiting for the thread. */
    int waiting() {
        return queued.get();
    }

    private synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        Thread t = new Thread(this::loop, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void loop() {
        List<T> batch = new ArrayList<>();
        int idle = 0;
        while (!closed) {
            T c;
            int rows = 0;
            while (rows < maxRows && (c = queue.peek()) != null) {
                int n = rowsOf.applyAsInt(c);
                if (!batch.isEmpty() && rows + n > maxRows) {
                    break;
                }
                queue.poll();
                queued.decrementAndGet();
                batch.add(c);
                rows += n;
            }
            if (batch.isEmpty()) {
                if (++idle < IDLE_POLLS) {
                    LockSupport.parkNanos(POLL_NANOS);
                } else {
                    // asleep is set before the queue is looked at, so a copy queued meanwhile either is seen here or
                    // finds the flag and unparks this thread
                    asleep = true;
                    if (queue.isEmpty() && !closed) {
                        LockSupport.park();
                    }
                    asleep = false;
                    idle = 0;
                }
                continue;
            }
            idle = 0;
            try {
                score.accept(batch);
            } catch (RuntimeException e) {
                // score reports its own failures; nothing here may stop the thread
            }
            batch.clear();
        }
    }

    /** Stops the thread once the batch it is scoring is done; waiting copies are not scored. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Waits up to {@code millis} for the thread to end after {@link #close}; true when it has (or never started). */
    boolean awaitStopped(long millis) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        t.join(millis);
        return !t.isAlive();
    }
}
