package dev.quiver.drift;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The radix sort gives {@code Arrays.sort}'s order, bit for bit, on the values a double can hold. */
class RadixSortTest {

    static double[] sorted(double[] values) {
        double[] out = new double[values.length];
        RadixSort.sortInto(values, out);
        return out;
    }

    static void assertSortsAsArraysSort(double[] values) {
        double[] expected = values.clone();
        Arrays.sort(expected);
        double[] before = values.clone();
        // Arrays.equals on doubles compares bits (NaN made canonical): -0.0 and 0.0 differ
        assertThat(Arrays.equals(sorted(values), expected)).as("sorted as Arrays.sort").isTrue();
        assertThat(Arrays.equals(values, before)).as("input untouched").isTrue();
    }

    @Test
    void normalValuesSortAsArraysSort() {
        assertSortsAsArraysSort(Samples.normal(new SplittableRandom(3), 50_000, 0));
    }

    @Test
    void everyKindOfDoubleSortsAsArraysSort() {
        double[] special = {-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1.0, -1.0,
            Double.longBitsToDouble(0xfff8000000000001L), Double.longBitsToDouble(0x7ff0000000000001L)};
        SplittableRandom rnd = new SplittableRandom(4);
        double[] values = new double[RadixSort.MIN_RADIX * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 3) {
                case 0 -> special[rnd.nextInt(special.length)];
                // any bit pattern: subnormals, huge and tiny exponents, NaNs of either sign
                case 1 -> Double.longBitsToDouble(rnd.nextLong());
                default -> rnd.nextInt(-3, 4);
            };
        }
        assertSortsAsArraysSort(values);
    }

    @Test
    void duplicatesAndConstantSamplesSortAsArraysSort() {
        double[] constant = new double[RadixSort.MIN_RADIX + 5];
        Arrays.fill(constant, 2.5);
        assertSortsAsArraysSort(constant);
        assertSortsAsArraysSort(Samples.ties(new SplittableRandom(5), 10_000, 7));
    }

    @Test
    void smallSamplesSortAsArraysSort() {
        for (int n : new int[] {1, 2, 17, RadixSort.MIN_RADIX - 1, RadixSort.MIN_RADIX}) {
            assertSortsAsArraysSort(Samples.normal(new SplittableRandom(n), n, 0));
        }
    }

    @Test
    void keysOrderAsTheNumbersAndReadBack() {
        double[] values = {Double.NEGATIVE_INFINITY, -2.0, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, 3.0,
            Double.POSITIVE_INFINITY, Double.NaN};
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToRawLongBits(RadixSort.value(RadixSort.key(values[i]))))
                    .isEqualTo(Double.doubleToRawLongBits(values[i]));
            if (i > 0) {
                assertThat(Long.compareUnsigned(RadixSort.key(values[i - 1]), RadixSort.key(values[i]))).isNegative();
            }
        }
    }
}
