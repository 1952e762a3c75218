package dev.quiver.function.http;

import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Gathers the items an event loop hands over in one turn and flushes them together once that turn is done, as an
 * inference server's dynamic batcher does with no added wait: the first item of a turn schedules the flush as a task
 * of the loop's context, so every item the loop reads before that task runs joins the same batch. Alone, an item is
 * flushed as soon as the loop has nothing else queued.
 *
 * <p>Threading: {@link #add} is called on an event loop thread, from a task of {@code loop}. Each event loop thread
 * has its own queue, so nothing is shared or locked; the flush runs on the same thread, later.
 *
 * <p>Bounds: a batch holds what one loop read in one turn, so it is bounded by that loop's connections and the
 * requests they sent, not by a count of its own; there is no overflow, since nothing is refused, dropped or held
 * across turns.
 *
 * <p>Failure: each item is handed to a flush exactly once. When the flush throws, each of its items is handed to
 * {@code failed} with what it threw (a failure there is dropped, and the next item still gets its turn), and an
 * {@link Error} is rethrown afterwards for Vert.x to report. The queue is emptied before the flush runs, so a flush
 * that fails leaves the next turn's batch unaffected.
 *
 * @param <T> what is batched
 */
final class EventLoopBatcher<T> {

    private final ThreadLocal<List<T>> pending = ThreadLocal.withInitial(ArrayList::new);
    private final Consumer<List<T>> flush;
    private final BiConsumer<T, Throwable> failed;

    /**
     * @param flush  answers a batch; the list is the batcher's copy, in the order the items were added
     * @param failed answers an item of a batch whose flush threw
     */
    EventLoopBatcher(Consumer<List<T>> flush, BiConsumer<T, Throwable> failed) {
        this.flush = Objects.requireNonNull(flush, "flush");
        this.failed = Objects.requireNonNull(failed, "failed");
    }

    /** Adds {@code item} to this loop's batch, scheduling the batch's flush on {@code loop} when it is the first. */
    void add(Context loop, T item) {
        List<T> waiting = pending.get();
        waiting.add(item);
        if (waiting.size() == 1) {
            loop.runOnContext(v -> flush(waiting));
        }
    }

    private void flush(List<T> waiting) {
        List<T> batch = new ArrayList<>(waiting);
        waiting.clear();
        try {
            flush.accept(batch);
        } catch (Throwable t) {
            for (T item : batch) {
                try {
                    failed.accept(item, t);
                } catch (RuntimeException ignored) {
                    // nothing more can be done for this item
                }
            }
            if (t instanceof Error error) {
                throw error;
            }
        }
    }
}
