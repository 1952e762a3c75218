package dev.quiver.feature;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The online store: the newest feature values per entity and view, read at prediction time.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>{@link #read} answers all of its {@link ViewRead}s in one round trip to the backend (one pipeline);
 *   the rows have one list per read, in order, and one entry per key, in order: the stored row, or null when
 *   the store holds nothing for that entity in that view. Only the asked features appear in a row's values.
 *   A value the store holds but cannot decode is {@link StoredRow#INVALID} in its row's values: it never fails
 *   the read, which answers every other value as usual.</li>
 *   <li>{@link #read} never blocks the calling thread on the backend, so an event loop may call it: a network
 *   adapter sends the pipeline and returns, and the stage completes when the replies are in, on a thread of the
 *   adapter's choosing (documented by the adapter). A store that never waits on a network (the embedded one) reads
 *   on the calling thread and returns a stage that is already complete. A key that cannot be read (bad input)
 *   fails the stage; {@code read} itself does not throw.</li>
 *   <li>{@link #write} keeps, per entity and view, the row with the newest event time: a row whose event time is
 *   not after the stored one is skipped (as Feast skips it), so an older event never overwrites a newer one,
 *   whatever order writes arrive in. It blocks its caller until the rows are written, so it is not called on an
 *   event loop.</li>
 *   <li>All are safe to call from many threads. A backend that is slow or down fails the stage (or the write)
 *   with a {@link dev.quiver.error.QuiverException} of kind UNAVAILABLE within the adapter's configured timeout;
 *   it never takes longer.</li>
 * </ul>
 */
public interface OnlineStore extends AutoCloseable {

    /** The features of one view to read for some entities. */
    record ViewRead(FeatureView view, List<EntityKey> keys, List<String> features) {
    }

    /** A short name for spans and metrics: {@code embedded}, {@code redis}. */
    String kind();

    /**
     * Reads every {@link ViewRead} in one round trip, without blocking on the backend.
     *
     * @return the rows, one list per read; or a stage failed with the {@link dev.quiver.error.QuiverException}
     *         that says why not
     */
    CompletionStage<List<List<StoredRow>>> read(List<ViewRead> reads);

    /**
     * Writes rows of one view.
     *
     * @return how many rows were written; the others were not newer than what the store held
     */
    int write(FeatureView view, List<FeatureRow> rows);

    @Override
    void close();
}
