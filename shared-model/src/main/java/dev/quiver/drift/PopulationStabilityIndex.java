package dev.quiver.drift;

/**
 * The population stability index over the binned shares of the two samples ({@link Binning}, empty bins given a
 * small share): the sum over bins of (ref - cur) ln(ref / cur). Evidently's {@code psi} test, never a default, with
 * the threshold 0.1 (drift when the index is at least that).
 *
 * @param psi  the index
 * @param bins the number of bins compared
 */
public record PopulationStabilityIndex(double psi, int bins) {

    public static PopulationStabilityIndex test(Binning binning) {
        double[] ref = binning.reference();
        double[] cur = binning.current();
        double psi = 0;
        for (int i = 0; i < ref.length; i++) {
            psi += (ref[i] - cur[i]) * Math.log(ref[i] / cur[i]);
        }
        return new PopulationStabilityIndex(psi, ref.length);
    }
}
