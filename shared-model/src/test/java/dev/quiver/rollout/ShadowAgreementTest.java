package dev.quiver.rollout;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ShadowAgreementTest {

    @Test
    void measuresLabelAgreementAndTheMeanAbsoluteProbabilityDifference() {
        ShadowAgreement a = new ShadowAgreement();
        assertThat(a.snapshot().labelAgreement()).isNaN();
        a.record("no", new double[] {0.8, 0.2}, "no", new double[] {0.7, 0.3});    // diff 0.1
        a.record("yes", new double[] {0.4, 0.6}, "no", new double[] {0.6, 0.4});   // diff 0.2
        a.record("no", new double[] {0.9, 0.1}, "no", new double[] {0.9, 0.1});    // diff 0
        a.recordFailure();
        ShadowAgreement.Snapshot s = a.snapshot();
        assertThat(s.rows()).isEqualTo(3);
        assertThat(s.labelAgreement()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.meanAbsProbabilityDiff()).isCloseTo(0.1, within(1e-12));
        assertThat(s.failures()).isEqualTo(1);
    }

    @Test
    void refusesAnswersOverDifferentClasses() {
        assertThatThrownBy(() -> new ShadowAgreement().record("no", new double[] {1, 0}, "no", new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
