/**
 * Data drift between a reference sample and a current one, column by column, with the statistics and defaults of
 * Evidently's data drift preset so that its users read the same numbers here.
 *
 * <p>Each column gets one test ({@link dev.quiver.drift.StatTest}), chosen by {@link dev.quiver.drift.StatTestSelector}
 * from the column's type, the reference's size and the number of distinct values, unless the column's
 * {@link dev.quiver.drift.ColumnOptions} name another test or threshold. {@link dev.quiver.drift.DataDrift} runs the
 * tests over a data set and says whether the data set drifted: whether the share of drifted columns reaches the
 * configured share (0.5 by default).
 *
 * <p>This is the exact mode: every statistic is computed from the raw rows and equals SciPy's
 * ({@code scipy.stats.ks_2samp}, {@code chisquare}, {@code wasserstein_distance},
 * {@code scipy.spatial.distance.jensenshannon}) within 1e-9, as the golden tests under {@code src/test/resources/drift}
 * show. Plain Java: no Quarkus, no AWS SDK, no DJL; commons-math3 supplies the gamma and normal functions.
 */
package dev.quiver.drift;
