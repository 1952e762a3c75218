package dev.quiver.drift;

import dev.quiver.drift.capture.Profile;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.DoublesSortedViewIterator;

/**
 * A binary classifier's performance estimated without labels, by confidence-based performance estimation (CBPE, as
 * NannyML introduced it): if the model's probabilities are calibrated, a row scored p is positive with probability
 * p, so the confusion matrix's expected cells follow from the scores alone. With the decision threshold t (0.5):
 * <pre>
 * E[TP] = Σ_{p ≥ t} p      E[FP] = Σ_{p ≥ t} (1 − p)
 * E[FN] = Σ_{p < t} p      E[TN] = Σ_{p < t} (1 − p)
 * </pre>
 * and accuracy, precision and recall from those; the expected ROC AUC is the chance that a positive row scores above
 * a negative one, each row counted positive with weight p and negative with weight 1 − p (ties count one half).
 *
 * <p>Computed from a profile's score sketch (the positive class's probability, KLL), so from a live window without a
 * single label; each retained item stands for its weight in rows. A drop between the reference (training rows) and
 * a window shows performance falling before the labels arrive. The estimate is only as good as the calibration.
 *
 * @param rows      rows the estimate covers
 * @param accuracy  expected accuracy at the threshold
 * @param precision expected precision of the positive class (NaN when no row is predicted positive)
 * @param recall    expected recall of the positive class (NaN when no row is expected positive)
 * @param rocAuc    expected ROC AUC
 */
public record EstimatedPerformance(long rows, double accuracy, double precision, double recall, double rocAuc) {

    /** The decision threshold the predict function's labels use for a binary model: the larger probability wins. */
    public static final double THRESHOLD = 0.5;

    /** The estimate from a profile's score sketch. */
    public static EstimatedPerformance of(Profile.Saved profile) {
        return of(KllDoublesSketch.heapify(Memory.wrap(profile.score())));
    }

    public static EstimatedPerformance of(KllDoublesSketch scores) {
        if (scores.isEmpty()) {
            return new EstimatedPerformance(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        DoublesSortedView view = scores.getSortedView();
        double[] items = view.getQuantiles();
        long[] cumulative = view.getCumulativeWeights();
        double tp = 0;
        double fp = 0;
        double fn = 0;
        double tn = 0;
        // AUC: walk items from the lowest score up; negatives seen so far (weight 1 - p) lie below every later
        // positive (weight p); equal scores share half
        double negativesBelow = 0;
        double pairs = 0;
        long previous = 0;
        for (int i = 0; i < items.length; i++) {
            double p = items[i];
            double w = cumulative[i] - previous;
            previous = cumulative[i];
            double pos = w * p;
            double neg = w * (1 - p);
            if (p >= THRESHOLD) {
                tp += pos;
                fp += neg;
            } else {
                fn += pos;
                tn += neg;
            }
            pairs += pos * negativesBelow + 0.5 * pos * neg;
            negativesBelow += neg;
        }
        double positives = tp + fn;
        double negatives = fp + tn;
        double n = positives + negatives;
        return new EstimatedPerformance(scores.getN(), (tp + tn) / n, tp + fp == 0 ? Double.NaN : tp / (tp + fp),
                positives == 0 ? Double.NaN : tp / positives,
                positives == 0 || negatives == 0 ? Double.NaN : pairs / (positives * negatives));
    }
}
