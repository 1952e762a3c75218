package dev.quiver.knative;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.error.QuiverException;
import dev.quiver.registry.Catalog;
import dev.quiver.rollout.Assignment;
import dev.quiver.rollout.RolloutPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The traffic split follows the rollout policy step for step ({@link RolloutPolicy#weightAt}, in basis points of
 * {@link Assignment#BUCKETS}), for the policies config/models.yaml holds, and the rendered steps in knative/rollout/
 * are what the renderer makes of the catalog and the predict Service as they are now.
 */
class TrafficSplitTest {

    private static final Path CATALOG = Repo.ROOT.resolve("config/models.yaml");

    private static Catalog catalog() {
        return Catalog.read(CATALOG);
    }

    /** A policy of a strategy and steps, every other value at its default. */
    private static RolloutPolicy policy(RolloutPolicy.Strategy strategy, Integer... steps) {
        return new RolloutPolicy(strategy, null, null, List.of(steps), 0, null, null, null);
    }

    /** The percent the policy gives the challenger at a step, from its weight in basis points. */
    private static int percentOf(RolloutPolicy policy, int step) {
        return policy.weightAt(step) * 100 / Assignment.BUCKETS;
    }

    /** The catalog's models whose rollout Knative can split: in the predict function, not shadowed. */
    private static Map<String, RolloutPolicy> splittable() {
        Map<String, RolloutPolicy> out = new java.util.TreeMap<>();
        for (Catalog.Model m : catalog().models()) {
            if (m.rollout() != null && (m.target() == null || m.target().equals("function"))) {
                RolloutPolicy p = RolloutPolicy.fromMap(m.rollout(), "models[" + m.name() + "].");
                if (p.strategy() != RolloutPolicy.Strategy.SHADOW) {
                    out.put(m.name(), p);
                }
            }
        }
        return out;
    }

    @Test
    void everyStepOfTheCatalogsPoliciesSplitsAsWeightAtSays() {
        assertThat(splittable()).as("models with a rollout Knative can split").isNotEmpty();
        splittable().forEach((model, policy) -> {
            TrafficSplit split = TrafficSplit.of(catalog(), model);
            assertThat(split.steps()).isEqualTo(policy.steps().size());
            for (int i = 0; i < split.steps(); i++) {
                List<TrafficSplit.Target> traffic = split.traffic(i, "rev-a", "rev-b");
                assertThat(traffic).extracting(TrafficSplit.Target::tag)
                        .containsExactly(TrafficSplit.CURRENT, TrafficSplit.CANDIDATE);
                assertThat(traffic.get(1).percent()).as("%s step %d", model, i).isEqualTo(percentOf(policy, i));
                assertThat(traffic.get(0).percent() + traffic.get(1).percent()).isEqualTo(100);
                assertThat(traffic).extracting(TrafficSplit.Target::revisionName).containsExactly("rev-a", "rev-b");
            }
            // the last canary step hands everything to the candidate
            if (policy.strategy() == RolloutPolicy.Strategy.CANARY) {
                assertThat(split.traffic(split.steps() - 1, "a", "b").get(1).percent()).isEqualTo(100);
            }
        });
    }

    @Test
    void anyIncreasingPolicyIsFollowed() {
        RolloutPolicy linear = policy(RolloutPolicy.Strategy.CANARY, 25, 50, 75, 100);
        TrafficSplit split = new TrafficSplit("m", linear);
        assertThat(split.steps()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(split.candidatePercent(i)).isEqualTo(percentOf(linear, i));
            assertThat(split.traffic(i, "a", "b").get(0).percent()).isEqualTo(100 - percentOf(linear, i));
        }
        RolloutPolicy blueGreen = policy(RolloutPolicy.Strategy.BLUE_GREEN, 100);
        assertThat(new TrafficSplit("m", blueGreen).traffic(0, "a", "b")).extracting(TrafficSplit.Target::percent)
                .containsExactly(0, 100);
    }

    @Test
    void whatKnativeCannotSplitIsRefused() {
        assertThatThrownBy(() -> new TrafficSplit("m", policy(RolloutPolicy.Strategy.SHADOW, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shadow");
        assertThatThrownBy(() -> TrafficSplit.of(catalog(), "no-such-model"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-model");
        Catalog gpu = new Catalog(List.of(new Catalog.Model("big", null, "sagemaker-gpu", null, null, null,
                Map.of("strategy", "canary"), null)));
        assertThatThrownBy(() -> TrafficSplit.of(gpu, "big")).hasMessageContaining("sagemaker-gpu");
        Catalog none = new Catalog(List.of(new Catalog.Model("plain", null, "function", null, null, null, null, null)));
        assertThatThrownBy(() -> TrafficSplit.of(none, "plain")).hasMessageContaining("no rollout policy");
        Catalog bad = new Catalog(List.of(new Catalog.Model("bad", null, null, null, null, null,
                Map.of("strategy", "canary", "steps", List.of(50, 25, 100)), null)));
        assertThatThrownBy(() -> TrafficSplit.of(bad, "bad")).isInstanceOf(QuiverException.class)
                .hasMessageContaining("steps[1]");
    }

    @Test
    void aRenderedServiceKeepsTheTemplateAndSetsOnlyTheTraffic() {
        JsonNode base = Repo.service("predict").doc();
        TrafficSplit split = new TrafficSplit("m", policy(RolloutPolicy.Strategy.CANARY, 25, 50, 75, 100));
        JsonNode rendered = split.service(base, 1, "quiver-predict-00001", "quiver-predict-00002");
        assertThat(rendered.path("spec").path("template")).isEqualTo(base.path("spec").path("template"));
        assertThat(rendered.path("metadata")).isEqualTo(base.path("metadata"));
        assertThat(rendered.path("spec").path("traffic").toString()).isEqualTo(
                "[{\"tag\":\"current\",\"revisionName\":\"quiver-predict-00001\",\"percent\":50},"
                        + "{\"tag\":\"candidate\",\"revisionName\":\"quiver-predict-00002\",\"percent\":50}]");
        assertThat(new CrdSchemas().validate(rendered)).isEmpty();
    }

    @Test
    void theRenderedStepsInTheRepositoryAreTheCatalogsRolloutAsItIsNow() throws IOException {
        Path rollouts = Repo.ROOT.resolve(TrafficSplit.ROLLOUT_DIR);
        List<Path> models;
        try (Stream<Path> dirs = Files.list(rollouts)) {
            models = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(models).as("rendered rollouts in %s", rollouts).isNotEmpty();
        JsonNode base = Repo.service("predict").doc();
        for (Path dir : models) {
            String model = dir.getFileName().toString();
            TrafficSplit split = TrafficSplit.of(catalog(), model);
            Set<String> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            }
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < split.steps(); i++) {
                expected.add(TrafficSplit.stepFile(Repo.ROOT, model, i).getFileName().toString());
            }
            String rerender = "re-render with ./mvnw -q -pl knative -am -Prender-rollout process-classes"
                    + " -Drollout.model=" + model + " (knative/README.md)";
            assertThat(files).as("the steps of %s's policy in config/models.yaml; %s", model, rerender)
                    .isEqualTo(expected);
            // the revisions are the renderer's arguments: read them back from the first step, the same in every step
            JsonNode first = TrafficSplit.read(TrafficSplit.stepFile(Repo.ROOT, model, 0));
            String current = revisionTagged(first, TrafficSplit.CURRENT);
            String candidate = revisionTagged(first, TrafficSplit.CANDIDATE);
            for (int i = 0; i < split.steps(); i++) {
                JsonNode committed = TrafficSplit.read(TrafficSplit.stepFile(Repo.ROOT, model, i));
                assertThat(committed).as("%s step %d; %s", model, i + 1, rerender)
                        .isEqualTo(split.service(base, i, current, candidate));
            }
        }
    }

    private static String revisionTagged(JsonNode service, String tag) {
        for (JsonNode t : service.path("spec").path("traffic")) {
            if (tag.equals(t.path("tag").asText())) {
                return t.path("revisionName").asText();
            }
        }
        throw new AssertionError("no traffic target tagged " + tag);
    }
}
