package dev.quiver.drift;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics computed by counting one sample between the other's distinct values ({@link SortedSample}) equal
 * the ones computed by merging both samples fully sorted, as the statistics were first written: the KS statistic bit
 * for bit, the Wasserstein distance to a relative 1e-12 (its terms are summed in another order).
 */
class SortedSampleTest {

    /** Pairs of samples (reference, current) over the shapes that stress the index: ties, zeros, skew, range. */
    static List<Object[]> pairs() {
        SplittableRandom rnd = new SplittableRandom(11);
        List<Object[]> pairs = new ArrayList<>();
        pairs.add(new Object[] {"normal 1,000 vs 20,000 shifted", Samples.normal(rnd, 1000, 0), Samples.normal(rnd, 20_000, 0.1)});
        pairs.add(new Object[] {"normal 20,000 vs 1,000", Samples.normal(rnd, 20_000, 0), Samples.normal(rnd, 1000, 0)});
        pairs.add(new Object[] {"normal same distribution", Samples.normal(rnd, 5000, 0), Samples.normal(rnd, 50_000, 0)});
        pairs.add(new Object[] {"equal sizes", Samples.normal(rnd, 3000, 0), Samples.normal(rnd, 3000, 0.05)});
        pairs.add(new Object[] {"ties", Samples.ties(rnd, 4000, 9), Samples.ties(rnd, 30_000, 11)});
        pairs.add(new Object[] {"ties against continuous", Samples.ties(rnd, 5000, 5), Samples.normal(rnd, 20_000, 2)});
        pairs.add(new Object[] {"continuous against ties", Samples.normal(rnd, 3000, 2), Samples.ties(rnd, 20_000, 5)});
        pairs.add(new Object[] {"signed zeros", Samples.signedZeros(rnd, 3000), Samples.signedZeros(rnd, 9000)});
        pairs.add(new Object[] {"skewed", Samples.skewed(rnd, 4000), Samples.skewed(rnd, 40_000)});
        pairs.add(new Object[] {"huge range", Samples.huge(rnd, 2000), Samples.huge(rnd, 10_000)});
        pairs.add(new Object[] {"a few ulps", Samples.ulps(rnd, 2000), Samples.ulps(rnd, 10_000)});
        pairs.add(new Object[] {"disjoint", Samples.normal(rnd, 500, 0), Samples.normal(rnd, 5000, 50)});
        pairs.add(new Object[] {"one value each", new double[] {1.5}, new double[] {2.5}});
        pairs.add(new Object[] {"one value against many", new double[] {0.0}, Samples.normal(rnd, 100, 0)});
        pairs.add(new Object[] {"constant reference", new double[] {2, 2, 2, 2, 2}, new double[] {2.0, 2.0005, 2.001}});
        pairs.add(new Object[] {"the same sample", new double[] {3, 1, 2, 2}, new double[] {2, 1, 2, 3}});
        return pairs;
    }

    @TestFactory
    Stream<DynamicTest> theKolmogorovSmirnovStatisticEqualsTheMergedOne() {
        return tests((ref, cur) -> {
            assertThat(KolmogorovSmirnov.statistic(ref, cur)).isEqualTo(mergedKs(sorted(ref), sorted(cur)));
            return null;
        });
    }

    @TestFactory
    Stream<DynamicTest> theWassersteinDistanceEqualsTheMergedOne() {
        return tests((ref, cur) -> {
            double expected = mergedWasserstein(ref, cur);
            double actual = WassersteinDistance.distance(ref, cur);
            if (expected == 0 || Double.isInfinite(expected)) {
                assertThat(actual).isEqualTo(expected);
            } else {
                assertThat(Math.abs(actual - expected) / expected).as(actual + " against " + expected)
                        .isLessThanOrEqualTo(1e-12);
            }
            return null;
        });
    }

    @Test
    void aValuesSlotIsWhereBisectionPutsIt() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (double[] sample : new double[][] {Samples.normal(rnd, 3000, 0), Samples.ties(rnd, 3000, 6),
            Samples.skewed(rnd, 3000), Samples.huge(rnd, 3000), Samples.ulps(rnd, 3000), {7.0}}) {
            SortedSample s = SortedSample.of(sample);
            double[] distinct = Arrays.stream(sample).map(v -> v == 0 ? 0.0 : v).sorted().distinct().toArray();
            assertThat(s.distinct).isEqualTo(distinct.length);
            double[] probes = new double[distinct.length * 3 + 2];
            for (int i = 0; i < distinct.length; i++) {
                probes[3 * i] = distinct[i];
                probes[3 * i + 1] = Math.nextUp(distinct[i]);
                probes[3 * i + 2] = Math.nextDown(distinct[i]);
            }
            probes[probes.length - 2] = -Double.MAX_VALUE;
            probes[probes.length - 1] = Double.MAX_VALUE;
            for (double x : probes) {
                int below = 0;
                while (below < distinct.length && distinct[below] < x) {
                    below++;
                }
                boolean equal = below < distinct.length && distinct[below] == x;
                assertThat(s.slot(x)).as("slot of " + x).isEqualTo(2 * below + (equal ? 1 : 0));
            }
            double[] all = sorted(sample);
            for (int i = 0; i < distinct.length; i++) {
                int atMost = 0;
                while (atMost < all.length && all[atMost] <= distinct[i]) {
                    atMost++;
                }
                assertThat(s.atMost[i]).as("values at most " + distinct[i]).isEqualTo(atMost);
            }
        }
    }

    private static Stream<DynamicTest> tests(BiFunction<double[], double[], Void> check) {
        return pairs().stream().map(p -> DynamicTest.dynamicTest((String) p[0],
                () -> check.apply((double[]) p[1], (double[]) p[2])));
    }

    private static double[] sorted(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s;
    }

    /** sup |F1 - F2| by merging both sorted samples, as KolmogorovSmirnov first computed it. */
    static double mergedKs(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        int i = 0;
        int j = 0;
        while (i < n1 || j < n2) {
            double v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
            while (i < n1 && a[i] <= v) {
                i++;
            }
            while (j < n2 && b[j] <= v) {
                j++;
            }
            double diff = (double) i / n1 - (double) j / n2;
            max = Math.max(max, diff);
            min = Math.min(min, diff);
        }
        double minS = Math.min(1, Math.max(0, -min));
        return minS > max ? minS : max;
    }

    /** The area between the distribution functions over both samples' values merged, as first computed. */
    static double mergedWasserstein(double[] u, double[] v) {
        double[] a = sorted(u);
        double[] b = sorted(v);
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        WassersteinDistance.Sum sum = new WassersteinDistance.Sum();
        int i = 0;
        int j = 0;
        for (int k = 0; k < all.length - 1; k++) {
            double x = all[k];
            while (i < a.length && a[i] <= x) {
                i++;
            }
            while (j < b.length && b[j] <= x) {
                j++;
            }
            sum.add(Math.abs((double) i / a.length - (double) j / b.length) * (all[k + 1] - x));
        }
        return sum.value();
    }
}
