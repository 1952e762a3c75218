package dev.quiver.drift.capture;

import dev.quiver.model.InputField;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The served traffic of one model version over one window, in sketches that merge.
 *
 * <ul>
 *   <li>a numerical input: a KLL sketch ({@value #K}: about 1.3% rank error at 99% confidence, whatever the row
 *       count), which gives quantiles and the CDF the drift tests need;</li>
 *   <li>a categorical input: an exact count per declared category. The model's descriptor lists every category
 *       it knows and a request with any other is refused, so exact counts are possible, cost less than a
 *       frequent-items sketch, and merge without error;</li>
 *   <li>the predicted labels: a count per class;</li>
 *   <li>the positive class's probability (the last class's): a KLL sketch, and a histogram of
 *       {@value #SCORE_BINS} equal bins over [0, 1].</li>
 * </ul>
 * Updates are not thread-safe; {@link Capture} serializes them.
 */
public final class Profile {

    /** KLL's accuracy parameter: normalized rank error about 1.33% (99% confidence) at k = 200. */
    public static final int K = 200;
    public static final int SCORE_BINS = 20;

    /**
     * A profile as stored: sketches as DataSketches' own compact bytes.
     *
     * @param numeric    by input name, a KLL sketch
     * @param moments    by input name, the exact count, mean and sum of squared deviations of the numerical
     *                   input (for its standard deviation, which the normed Wasserstein distance divides by)
     * @param categories by input name, counts in the order of {@code categoryNames}
     */
    public record Saved(String model, String version, Instant windowStart, long rows, List<String> labels,
                        long[] labelCounts, Map<String, byte[]> numeric, Map<String, Moments> moments,
                        Map<String, List<String>> categoryNames, Map<String, long[]> categories, byte[] score,
                        long[] scoreHistogram) {
    }

    /**
     * Count, mean and the sum of squared deviations from the mean, updated by Welford's method and merged by Chan's,
     * so that they stay exact (to rounding) across instances.
     */
    public record Moments(long count, double mean, double m2) {

        public static final Moments EMPTY = new Moments(0, 0, 0);

        /** The population standard deviation (NumPy's default, ddof 0); NaN when empty. */
        public double std() {
            return count == 0 ? Double.NaN : Math.sqrt(m2 / count);
        }

        public Moments plus(Moments o) {
            if (o.count == 0) {
                return this;
            }
            if (count == 0) {
                return o;
            }
            long n = count + o.count;
            double delta = o.mean - mean;
            return new Moments(n, mean + delta * o.count / n, m2 + o.m2 + delta * delta * count * o.count / n);
        }
    }

    private final String model;
    private final String version;
    private final Instant windowStart;
    private final List<InputField> fields;
    private final int[] offsets;
    private final KllDoublesSketch[] numeric;
    private final long[][] categoryCounts;
    private final long[] momentCount;
    private final double[] momentMean;
    private final double[] momentM2;
    private final List<String> labels;
    private final long[] labelCounts;
    private final KllDoublesSketch score = KllDoublesSketch.newHeapInstance(K);
    private final long[] scoreHistogram = new long[SCORE_BINS];
    private long rows;
    private ArrayList<LoggedPrediction> log = new ArrayList<>();

    public Profile(String model, String version, Instant windowStart, List<InputField> fields, List<String> labels) {
        this.model = model;
        this.version = version;
        this.windowStart = windowStart;
        this.fields = List.copyOf(fields);
        this.labels = List.copyOf(labels);
        this.labelCounts = new long[labels.size()];
        this.offsets = new int[fields.size()];
        this.numeric = new KllDoublesSketch[fields.size()];
        this.categoryCounts = new long[fields.size()][];
        this.momentCount = new long[fields.size()];
        this.momentMean = new double[fields.size()];
        this.momentM2 = new double[fields.size()];
        int at = 0;
        for (int i = 0; i < fields.size(); i++) {
            InputField f = fields.get(i);
            offsets[i] = at;
            at += f.width();
            if (f.type() == InputField.Type.CATEGORY) {
                categoryCounts[i] = new long[f.categories().size()];
            } else {
                numeric[i] = KllDoublesSketch.newHeapInstance(K);
            }
        }
    }

    /**
     * Adds rows as the model received them: {@code encoded} holds {@code n} rows of the descriptor's encoding
     * (numbers in place, categories one-hot), {@code probabilities} {@code n} rows of class probabilities.
     */
    void add(double[] encoded, int width, int n, double[] probabilities, long[] labelIndex) {
        for (int r = 0; r < n; r++) {
            addInputs(encoded, r * width);
            addOutput(probabilities, labelIndex, r);
        }
        rows += n;
    }

    /** The most rows kept for labels between two flushes; more are not kept (counted by {@link Capture}). */
    public static final int MAX_LOGGED_ROWS = 100_000;

    /**
     * Keeps the rows' scores and labels under their request id, until {@link #drainLog}; returns how many rows did
     * not fit under {@link #MAX_LOGGED_ROWS}.
     */
    int log(int n, double[] probabilities, long[] labelIndex, String requestId, List<Integer> rowNumbers) {
        if (requestId == null) {
            return 0;
        }
        if (log.size() + n > MAX_LOGGED_ROWS) {
            return n;
        }
        int classes = labels.size();
        for (int r = 0; r < n; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (probabilities[r * classes + c] > probabilities[r * classes + best]) {
                    best = c;
                }
            }
            int label = labelIndex != null ? (int) labelIndex[r] : best;
            log.add(new LoggedPrediction(requestId, rowNumbers == null ? r : rowNumbers.get(r),
                    probabilities[r * classes + classes - 1], labels.get(label)));
        }
        return 0;
    }

    /** The rows logged since the last drain. */
    List<LoggedPrediction> drainLog() {
        List<LoggedPrediction> out = log;
        log = new ArrayList<>();
        return out;
    }

    /** The same for FP32 inputs, one row widened at a time. */
    void add(float[] encoded, int width, int n, double[] probabilities, long[] labelIndex) {
        double[] row = new double[width];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < width; c++) {
                row[c] = encoded[r * width + c];
            }
            addInputs(row, 0);
            addOutput(probabilities, labelIndex, r);
        }
        rows += n;
    }

    private void addInputs(double[] encoded, int base) {
        for (int i = 0; i < offsets.length; i++) {
            long[] counts = categoryCounts[i];
            if (counts == null) {
                double x = encoded[base + offsets[i]];
                numeric[i].update(x);
                long n = ++momentCount[i];
                double delta = x - momentMean[i];
                momentMean[i] += delta / n;
                momentM2[i] += delta * (x - momentMean[i]);
            } else {
                int at = base + offsets[i];
                for (int c = 0; c < counts.length; c++) {
                    if (encoded[at + c] != 0) {
                        counts[c]++;
                        break;
                    }
                }
            }
        }
    }

    private void addOutput(double[] probabilities, long[] labelIndex, int r) {
        int classes = labels.size();
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (probabilities[r * classes + c] > probabilities[r * classes + best]) {
                best = c;
            }
        }
        labelCounts[labelIndex != null ? (int) labelIndex[r] : best]++;
        double p = probabilities[r * classes + classes - 1];
        if (!Double.isNaN(p)) {
            score.update(p);
            scoreHistogram[Math.min(SCORE_BINS - 1, Math.max(0, (int) (p * SCORE_BINS)))]++;
        }
    }

    /**
     * The reference profile of a model: the same sketches over its training rows, encoded as the model receives
     * them, with the model's own class probabilities for each.
     *
     * @param at when it was made (the profile's window start)
     */
    public static Saved reference(String model, List<InputField> fields, List<String> labels, double[] encoded,
                                  int rows, double[] probabilities, Instant at) {
        Profile p = new Profile(model, "reference", at, fields, labels);
        p.add(encoded, encoded.length / Math.max(1, rows), rows, probabilities, null);
        return p.save();
    }

    public long rows() {
        return rows;
    }

    public String model() {
        return model;
    }

    public String version() {
        return version;
    }

    public Instant windowStart() {
        return windowStart;
    }

    /** A copy in the stored form. */
    public Saved save() {
        Map<String, byte[]> num = new LinkedHashMap<>();
        Map<String, Moments> moments = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        Map<String, long[]> cats = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            InputField f = fields.get(i);
            if (categoryCounts[i] == null) {
                num.put(f.name(), numeric[i].toByteArray());
                moments.put(f.name(), new Moments(momentCount[i], momentMean[i], momentM2[i]));
            } else {
                names.put(f.name(), f.categories());
                cats.put(f.name(), categoryCounts[i].clone());
            }
        }
        return new Saved(model, version, windowStart, rows, labels, labelCounts.clone(), num, moments, names, cats,
                score.toByteArray(), scoreHistogram.clone());
    }

    /**
     * Merges saved profiles of the same model version and window (one per instance) into one.
     *
     * @throws IllegalArgumentException when they are not of the same version, window and inputs
     */
    public static Saved merge(List<Saved> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        Saved first = parts.get(0);
        Map<String, KllDoublesSketch> num = new LinkedHashMap<>();
        first.numeric().keySet().forEach(name -> num.put(name, KllDoublesSketch.newHeapInstance(K)));
        Map<String, long[]> cats = new LinkedHashMap<>();
        first.categories().forEach((name, c) -> cats.put(name, new long[c.length]));
        Map<String, Moments> moments = new LinkedHashMap<>();
        first.numeric().keySet().forEach(name -> moments.put(name, Moments.EMPTY));
        long[] labelCounts = new long[first.labelCounts().length];
        KllDoublesSketch score = KllDoublesSketch.newHeapInstance(K);
        long[] histogram = new long[first.scoreHistogram().length];
        long rows = 0;
        for (Saved s : parts) {
            if (!s.model().equals(first.model()) || !s.version().equals(first.version())
                    || !s.windowStart().equals(first.windowStart()) || !s.numeric().keySet().equals(num.keySet())
                    || !s.categoryNames().equals(first.categoryNames()) || !s.labels().equals(first.labels())) {
                throw new IllegalArgumentException("profiles of different versions, windows or inputs do not merge: "
                        + s.model() + ":" + s.version() + "@" + s.windowStart() + " and " + first.model() + ":"
                        + first.version() + "@" + first.windowStart());
            }
            s.numeric().forEach((name, bytes) -> num.get(name).merge(KllDoublesSketch.heapify(Memory.wrap(bytes))));
            s.moments().forEach((name, m) -> moments.merge(name, m, Moments::plus));
            s.categories().forEach((name, c) -> add(cats.get(name), c));
            add(labelCounts, s.labelCounts());
            score.merge(KllDoublesSketch.heapify(Memory.wrap(s.score())));
            add(histogram, s.scoreHistogram());
            rows += s.rows();
        }
        Map<String, byte[]> numBytes = new LinkedHashMap<>();
        num.forEach((name, k) -> numBytes.put(name, k.toByteArray()));
        return new Saved(first.model(), first.version(), first.windowStart(), rows, first.labels(), labelCounts,
                numBytes, moments, first.categoryNames(), cats, score.toByteArray(), histogram);
    }

    /** The KLL sketch of a numerical input of a saved profile. */
    public static KllDoublesSketch numeric(Saved s, String input) {
        byte[] bytes = s.numeric().get(input);
        if (bytes == null) {
            throw new IllegalArgumentException("no numerical input '" + input + "' in the profile of " + s.model()
                    + ":" + s.version() + "; it has " + new ArrayList<>(s.numeric().keySet()));
        }
        return KllDoublesSketch.heapify(Memory.wrap(bytes));
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
