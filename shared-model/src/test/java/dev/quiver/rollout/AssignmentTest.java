package dev.quiver.rollout;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AssignmentTest {

    private static final String SALT = "churn/rollout-1";

    @Test
    void theSameKeyAlwaysLandsOnTheSameArm() {
        for (int i = 0; i < 1000; i++) {
            String key = "customer-" + i;
            boolean first = Assignment.challenger(SALT, key, 2500);
            for (int k = 0; k < 5; k++) {
                assertThat(Assignment.challenger(SALT, key, 2500)).isEqualTo(first);
            }
        }
    }

    @Test
    void aKeyOnTheChallengerStaysThereAsTheWeightGrows() {
        int[] steps = {500, 2500, 5000, 10_000};
        for (int i = 0; i < 20_000; i++) {
            String key = Integer.toString(i);
            boolean before = false;
            for (int w : steps) {
                boolean now = Assignment.challenger(SALT, key, w);
                assertThat(!before || now).as("key %s at %d bp", key, w).isTrue();
                before = now;
            }
        }
    }

    @Test
    void theChallengersShareOfKeysMatchesItsWeight() {
        for (int weight : new int[] {500, 2500, 5000}) {
            int n = 100_000;
            int hits = 0;
            for (int i = 0; i < n; i++) {
                hits += Assignment.challenger(SALT, "user" + i, weight) ? 1 : 0;
            }
            assertThat((double) hits / n).as("weight %d bp", weight).isCloseTo(weight / 10_000.0, within(0.006));
        }
    }

    @Test
    void separateRolloutsSplitIndependently() {
        int n = 100_000;
        int both = 0;
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            if (Assignment.challenger("model-a/1", key, 5000) && Assignment.challenger("model-b/1", key, 5000)) {
                both++;
            }
        }
        assertThat((double) both / n).isCloseTo(0.25, within(0.01));
    }

    @Test
    void withoutAKeyRequestsAreSplitAtRandomByWeight() {
        int n = 100_000;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            hits += Assignment.challenger(SALT, null, 2000) ? 1 : 0;
        }
        assertThat((double) hits / n).isCloseTo(0.20, within(0.01));
        assertThat(Assignment.challenger(SALT, null, 0)).isFalse();
        assertThat(Assignment.challenger(SALT, "x", 10_000)).isTrue();
    }

    @Test
    void bucketsAreStableAcrossReleasesAndInstances() {
        // pinned values, computed independently (a Python FNV-1a + fmix64 of the same bytes): instances of any
        // version must agree, and a change to the hash would move users between arms mid-rollout
        assertThat(Assignment.bucket(SALT, "customer-1")).isEqualTo(7623);
        assertThat(Assignment.bucket(SALT, "customer-2")).isEqualTo(2175);
        assertThat(Assignment.bucket("a", "b")).isEqualTo(6011);
        assertThat(Assignment.bucket(SALT, "ü-ключ")).isEqualTo(4465);
    }
}
