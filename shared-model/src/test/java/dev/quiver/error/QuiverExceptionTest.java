package dev.quiver.error;

import org.junit.jupiter.api.Test;

import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

class QuiverExceptionTest {

    @Test
    void theMessageNamesTheFieldAndCarriesNoStackTrace() {
        QuiverException e = QuiverException.badInput("rows[2].state", "unknown category 'XX'");

        assertThat(e.getMessage()).isEqualTo("rows[2].state: unknown category 'XX'");
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(QuiverException.unavailable("no model loaded yet").getMessage()).isEqualTo("no model loaded yet");
        assertThat(QuiverException.unavailable("x").field()).isNull();
    }

    @Test
    void namesAreSafeAsDirectoryNamesAndUrlSegments() {
        assertThat(Check.name("churn-v2.1_x", "model")).isEqualTo("churn-v2.1_x");
        assertThat(Check.name("a".repeat(128), "model")).hasSize(128);
        for (String bad : new String[] {"..", ".hidden", "a/b", "a b", "", "a".repeat(129)}) {
            expect(QuiverException.Kind.BAD_INPUT, "model", () -> Check.name(bad, "model"));
        }
        expect(QuiverException.Kind.BAD_INPUT, "model", () -> Check.name(null, "model"));
    }
}
