package dev.quiver.drift;

import dev.quiver.drift.capture.LoggedPrediction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Metrics over predictions matched with late labels, against values worked out by hand. */
class MeasuredPerformanceTest {

    @Test
    void matchesPredictionsWithTheirLabelsByRequestIdAndRow() {
        List<LoggedPrediction> window = List.of(
                new LoggedPrediction("a", 0, 0.9, "yes"), new LoggedPrediction("a", 1, 0.8, "yes"),
                new LoggedPrediction("b", 0, 0.3, "no"), new LoggedPrediction("c", 0, 0.2, "no"),
                new LoggedPrediction("d", 0, 0.6, "yes"), new LoggedPrediction("e", 0, 0.7, "yes"));
        Map<String, String> labels = Map.of("a#0", "yes", "a#1", "no", "b#0", "yes", "c#0", "no", "d#0", "yes",
                "z#0", "yes");  // e has no label yet; z is a label of another window
        MeasuredPerformance m = MeasuredPerformance.of(window, labels, "yes");
        assertThat(m.predictions()).isEqualTo(6);
        assertThat(m.labelled()).isEqualTo(5);
        // TP a0, d0; FP a1; FN b0; TN c0
        assertThat(m.accuracy()).isCloseTo(0.6, within(1e-12));
        assertThat(m.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.recall()).isCloseTo(2.0 / 3, within(1e-12));
        // positives 0.9, 0.3, 0.6 against negatives 0.8, 0.2: 4 of 6 pairs ordered right
        assertThat(m.rocAuc()).isCloseTo(4.0 / 6, within(1e-12));
        double logLoss = -(Math.log(0.9) + Math.log(0.2) + Math.log(0.3) + Math.log(0.8) + Math.log(0.6)) / 5;
        assertThat(m.logLoss()).isCloseTo(logLoss, within(1e-12));
    }

    @Test
    void noLabelsYetMeansNoMetrics() {
        MeasuredPerformance m = MeasuredPerformance.of(List.of(new LoggedPrediction("a", 0, 0.9, "yes")), Map.of(), "yes");
        assertThat(m.labelled()).isZero();
        assertThat(m.accuracy()).isNull();
    }
}
