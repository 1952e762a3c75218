package dev.quiver.registry;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VersionsTest {

    @Test
    void numericVersionsSortByValue() {
        assertThat(Versions.ORDER.compare("2", "10")).isNegative();
        assertThat(Versions.ORDER.compare("10", "2")).isPositive();
    }

    @Test
    void numbersComeFirstThenTheRestByText() {
        List<String> versions = new ArrayList<>(List.of("rc1", "10", "beta", "2", "1", "123456789012345678901"));

        versions.sort(Versions.ORDER);

        // a number too long for a long sorts as text
        assertThat(versions).containsExactly("1", "2", "10", "123456789012345678901", "beta", "rc1");
    }
}
