package dev.quiver.registry;

import dev.quiver.model.ModelDescriptor;
import dev.quiver.testing.Artifacts;
import dev.quiver.testing.Descriptors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.quiver.error.QuiverException.Kind.CONFLICT;
import static dev.quiver.testing.Problems.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ModelStore} promises, run against each implementation: extend it with the store to test.
 */
public abstract class ModelStoreContract {

    /** A store over fresh, empty storage. */
    protected abstract ModelStore store();

    /** Another store over the same storage, as a second instance of the function opens it. */
    protected abstract ModelStore another();

    protected static ModelDescriptor churn(String version) {
        return Descriptors.classifier().numbers(2).category("plan", "basic", "pro").stored("churn", version).build();
    }

    @Test
    void aWrittenVersionReadsBackWithItsArtifactInAnotherInstance() throws IOException {
        ModelStore store = store();
        ModelDescriptor d = churn("1");

        store.write(d, Artifacts.model("v1"), "{\"profile\":1}".getBytes());

        ModelStore other = another();
        assertThat(other.descriptor("churn", "1")).contains(d);
        assertThat(Files.readAllBytes(other.artifact("churn", "1").orElseThrow())).isEqualTo(Artifacts.model("v1"));
        assertThat(Files.readString(other.referenceProfile("churn", "1").orElseThrow())).isEqualTo("{\"profile\":1}");
        assertThat(other.modelNames()).containsExactly("churn");
        assertThat(other.versions("churn")).containsExactly("1");
    }

    @Test
    void versionsAreListedNumericallyThenByName() {
        ModelStore store = store();
        for (String v : new String[] {"10", "beta", "2", "1"}) {
            store.write(churn(v), Artifacts.model(v));
        }

        assertThat(store.versions("churn")).containsExactly("1", "2", "10", "beta");
    }

    @Test
    void versionsAreImmutableAcrossInstances() throws IOException {
        ModelStore store = store();
        store.write(churn("1"), Artifacts.model("first"));

        expect(CONFLICT, "version", () -> another().write(churn("1"), Artifacts.model("second")));

        assertThat(Files.readAllBytes(store.artifact("churn", "1").orElseThrow())).isEqualTo(Artifacts.model("first"));
    }

    @Test
    void aliasesAreReplacedAsAWholeMapAndOnlyIfUnchangedSinceRead() {
        ModelStore store = store();
        store.write(churn("1"), Artifacts.model("v1"));
        store.write(churn("2"), Artifacts.model("v2"));
        assertThat(store.readAliases("churn")).isEqualTo(ModelStore.Aliases.NONE);
        assertThat(store.replaceAliases("churn", null, Map.of("champion", "1", "challenger", "2"))).isTrue();
        assertThat(store.replaceAliases("churn", null, Map.of("champion", "2"))).as("none stored any more").isFalse();

        ModelStore.Aliases read = another().readAliases("churn");
        assertThat(read.aliases()).containsExactly(Map.entry("challenger", "2"), Map.entry("champion", "1"));
        assertThat(store.replaceAliases("churn", read.tag(), Map.of("champion", "2"))).isTrue();
        assertThat(another().replaceAliases("churn", read.tag(), Map.of("champion", "1"))).as("stale tag").isFalse();

        assertThat(another().aliases("churn")).containsExactly(Map.entry("champion", "2"));
    }

    @Test
    void ofInstancesMovingTheSameAliasesAtOnceExactlyOneWins() throws Exception {
        ModelStore first = store();
        first.write(churn("1"), Artifacts.model("v1"));
        first.writeAliases("churn", Map.of("champion", "1"));
        String tag = first.readAliases("churn").tag();
        int n = 8;
        List<ModelStore> instances = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            instances.add(i % 2 == 0 ? first : another());
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> wins = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ModelStore s = instances.get(i);
                String version = "w" + i;
                wins.add(pool.submit(() -> {
                    go.await();
                    return s.replaceAliases("churn", tag, Map.of("champion", version));
                }));
            }
            go.countDown();
            List<Integer> won = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (wins.get(i).get()) {
                    won.add(i);
                }
            }
            assertThat(won).hasSize(1);
            assertThat(first.aliases("churn")).containsExactly(Map.entry("champion", "w" + won.get(0)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnknownModelIsEmptyNotAnError() {
        ModelStore store = store();

        assertThat(store.modelNames()).isEmpty();
        assertThat(store.versions("nope")).isEmpty();
        assertThat(store.descriptor("nope", "1")).isEmpty();
        assertThat(store.artifact("nope", "1")).isEmpty();
        assertThat(store.referenceProfile("nope", "1")).isEmpty();
        assertThat(store.aliases("nope")).isEmpty();
    }
}
