package dev.quiver.drift;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * CBPE from a KLL sketch of calibrated scores against the performance the labels actually give, when each label is
 * drawn as the score says (so the scores are calibrated by construction).
 */
class EstimatedPerformanceTest {

    /** Scores from a skewed mix (most rows confidently negative, as churn scores are), and labels drawn from them. */
    private static double[][] sample(long seed, int n, double shift) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] p = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            double s = rnd.nextDouble() < 0.8 ? 0.15 * u : 0.3 + 0.7 * u;
            p[i] = Math.min(1, Math.max(0, s + shift * (0.5 - s)));
            y[i] = rnd.nextDouble() < p[i] ? 1 : 0;
        }
        return new double[][] {p, y};
    }

    /** What the labels say: accuracy, precision, recall at 0.5, and the ROC AUC (ties count one half). */
    private static double[] actual(double[] p, double[] y) {
        double tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < p.length; i++) {
            boolean predicted = p[i] >= 0.5;
            if (predicted && y[i] == 1) tp++;
            else if (predicted) fp++;
            else if (y[i] == 1) fn++;
            else tn++;
        }
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double negativesBelow = 0, pairs = 0;
        for (int k = 0; k < order.length; ) {
            int j = k;
            double pos = 0, neg = 0;
            while (j < order.length && p[order[j]] == p[order[k]]) {
                if (y[order[j]] == 1) pos++; else neg++;
                j++;
            }
            pairs += pos * negativesBelow + 0.5 * pos * neg;
            negativesBelow += neg;
            k = j;
        }
        return new double[] {(tp + tn) / p.length, tp / (tp + fp), tp / (tp + fn), pairs / ((tp + fn) * (fp + tn))};
    }

    @Test
    void theEstimateFromTheSketchMatchesWhatTheLabelsSay() {
        double[][] s = sample(3, 50_000, 0);
        KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(200);
        for (double p : s[0]) {
            kll.update(p);
        }
        EstimatedPerformance e = EstimatedPerformance.of(kll);
        double[] a = actual(s[0], s[1]);
        assertThat(e.rows()).isEqualTo(50_000);
        assertThat(e.accuracy()).isCloseTo(a[0], within(0.01));
        assertThat(e.precision()).isCloseTo(a[1], within(0.02));
        assertThat(e.recall()).isCloseTo(a[2], within(0.02));
        assertThat(e.rocAuc()).isCloseTo(a[3], within(0.01));
    }

    @Test
    void lessConfidentScoresEstimateLowerAccuracyBeforeAnyLabel() {
        KllDoublesSketch sharp = KllDoublesSketch.newHeapInstance(200);
        KllDoublesSketch blurred = KllDoublesSketch.newHeapInstance(200);
        for (double p : sample(4, 20_000, 0)[0]) {
            sharp.update(p);
        }
        double[][] drifted = sample(5, 20_000, 0.6);
        for (double p : drifted[0]) {
            blurred.update(p);
        }
        EstimatedPerformance before = EstimatedPerformance.of(sharp);
        EstimatedPerformance after = EstimatedPerformance.of(blurred);
        assertThat(after.accuracy()).isLessThan(before.accuracy() - 0.05);
        assertThat(after.accuracy()).isCloseTo(actual(drifted[0], drifted[1])[0], within(0.015));
        assertThat(EstimatedPerformance.of(KllDoublesSketch.newHeapInstance(200)).accuracy()).isNaN();
    }
}
