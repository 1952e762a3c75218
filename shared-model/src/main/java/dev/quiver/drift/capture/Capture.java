package dev.quiver.drift.capture;

import dev.quiver.prediction.PredictionCapture;
import dev.quiver.inference.ServedModel;
import dev.quiver.model.ModelKey;
import dev.quiver.tensor.Tensor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Captures every prediction into the current window's {@link Profile} of the version that answered, and saves
 * this instance's profiles to a {@link ProfileStore} on {@link #flush} (every few seconds, and at shutdown), so
 * that a short-lived instance loses at most one interval; the predictions kept for their labels go more often, on
 * {@link #flushPredictions}.
 *
 * <p>Capture never fails a prediction: anything that goes wrong drops the rows (counted in {@link #dropped}); a
 * store that cannot be written keeps the profile for the next flush (counted in {@link #flushFailures}).
 */
public final class Capture implements PredictionCapture {

    private final ProfileStore store;
    private final Clock clock;
    private final long windowMillis;
    private final String instance;
    private final ConcurrentHashMap<ModelKey, Profile> current = new ConcurrentHashMap<>();
    private final List<Profile> retired = new ArrayList<>();
    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong flushFailures = new AtomicLong();
    private final AtomicLong notLogged = new AtomicLong();

    /** @param window the length of a window; windows start at multiples of it since the epoch */
    public Capture(ProfileStore store, Clock clock, Duration window, String instance) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the capture window must be positive, was " + window);
        }
        this.store = store;
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.instance = instance;
    }

    /** The start of the window {@code at} falls in. */
    public Instant windowOf(Instant at) {
        long ms = at.toEpochMilli();
        return Instant.ofEpochMilli(ms - Math.floorMod(ms, windowMillis));
    }

    @Override
    public void served(ServedModel served, Tensor input, int rows, double[] probabilities, long[] labelIndex,
                       String requestId, java.util.List<Integer> rowNumbers) {
        try {
            long now = clock.millis();
            long start = now - Math.floorMod(now, windowMillis);
            Profile p = current.get(served.key());
            if (p == null || p.windowStart().toEpochMilli() != start) {
                p = roll(served, Instant.ofEpochMilli(start));
            }
            int width = (int) input.shape()[1];
            synchronized (p) {
                if (input.data() instanceof double[] d) {
                    p.add(d, width, rows, probabilities, labelIndex);
                } else {
                    p.add((float[]) input.data(), width, rows, probabilities, labelIndex);
                }
                int unlogged = p.log(rows, probabilities, labelIndex, requestId, rowNumbers);
                if (unlogged > 0) {
                    notLogged.addAndGet(unlogged);
                }
            }
            captured.addAndGet(rows);
        } catch (RuntimeException e) {
            dropped.addAndGet(rows);
        }
    }

    private synchronized Profile roll(ServedModel served, Instant start) {
        Profile p = current.get(served.key());
        if (p != null && p.windowStart().equals(start)) {
            return p;
        }
        if (p != null) {
            retired.add(p);
        }
        Profile next = new Profile(served.key().name(), served.key().version(), start, served.descriptor().inputs(),
                served.descriptor().labels());
        current.put(served.key(), next);
        return next;
    }

    /**
     * Saves this instance's profiles (the current windows, and any that ended since the last flush), with the
     * predictions kept for their labels since the last {@link #flushPredictions}.
     */
    public void flush() {
        for (Profile p : profiles()) {
            Profile.Saved saved;
            List<LoggedPrediction> logged;
            synchronized (p) {
                if (p.rows() == 0) {
                    continue;
                }
                saved = p.save();
                logged = p.drainLog();
            }
            try {
                appendPredictions(p, logged);
                store.save(instance, saved);
                synchronized (this) {
                    retired.remove(p);
                }
            } catch (RuntimeException e) {
                flushFailures.incrementAndGet();
            }
        }
    }

    /**
     * Saves only the predictions kept for their labels, more often than the profiles: each waits in memory until it
     * is saved, and every young collection it outlives copies it, which lengthens the pause of every request then
     * in flight (docs/performance.md, Against a hand-written server).
     */
    public void flushPredictions() {
        for (Profile p : profiles()) {
            List<LoggedPrediction> logged;
            synchronized (p) {
                logged = p.drainLog();
            }
            try {
                appendPredictions(p, logged);
            } catch (RuntimeException e) {
                flushFailures.incrementAndGet();
            }
        }
    }

    private synchronized List<Profile> profiles() {
        List<Profile> all = new ArrayList<>(retired);
        all.addAll(current.values());
        return all;
    }

    private void appendPredictions(Profile p, List<LoggedPrediction> logged) {
        if (!logged.isEmpty()) {
            store.appendPredictions(instance, p.model(), p.version(), p.windowStart(), logged);
        }
    }

    /** Rows captured so far. */
    public long captured() {
        return captured.get();
    }

    /** Rows not captured because something failed. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Rows profiled but not kept for their labels, because more than {@link Profile#MAX_LOGGED_ROWS} came between
     * two flushes (their labels will find no prediction).
     */
    public long notLogged() {
        return notLogged.get();
    }

    /** Saves that failed: a profile is saved again at the next flush; predictions kept for their labels are not. */
    public long flushFailures() {
        return flushFailures.get();
    }
}
