package dev.quiver.knative;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Broker's Triggers route to each function exactly the CloudEvent types it handles, as its sources say
 * ({@link HandledEvents}); no Trigger sends a function's own replies back to it; and the drift schedule's ticks reach
 * the drift function at the period the function itself would evaluate at.
 */
class EventTypesTest {

    private static final String PING = "dev.knative.sources.ping";

    static List<String> functions() {
        return Repo.functions();
    }

    /** The type each deployed Trigger routing to quiver-&lt;function&gt; takes, by Trigger name. */
    private static Map<String, String> triggerTypes(String function) {
        Map<String, String> out = new TreeMap<>();
        for (Repo.Manifest t : Repo.deployed("Trigger")) {
            JsonNode ref = t.doc().path("spec").path("subscriber").path("ref");
            if (ref.path("kind").asText().equals("Service") && ref.path("name").asText().equals("quiver-" + function)) {
                out.put(t.name(), t.doc().path("spec").path("filter").path("attributes").path("type").asText(null));
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("functions")
    void theTriggersOfAFunctionAreTheTypesItHandles(String function) {
        Set<String> handled = HandledEvents.of(function).types();
        Map<String, String> triggers = triggerTypes(function);
        assertThat(triggers.values()).as("Triggers of quiver-%s without a type", function).doesNotContainNull();
        assertThat(triggers.values()).as("Triggers of quiver-%s", function).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(triggers.values())).as("the types the Triggers route to quiver-%s", function)
                .isEqualTo(handled);
    }

    @Test
    void theSourcesSayWhatTheReadmeSays() {
        // a sanity check of the reading itself, on doors the README documents: if HandledEvents read nothing for a
        // function, the agreement above would compare two empty sets
        assertThat(HandledEvents.of("agent").types()).contains("model_deployment_request", "feature_store_request",
                "model_issue_alert");
        assertThat(HandledEvents.of("drift").types()).contains(PING);
        functions().forEach(f -> assertThat(HandledEvents.of(f).types()).as("types of %s", f).isNotEmpty());
    }

    @Test
    void everyTriggerFiltersOnOneTypeAndItsFiltersAgree() {
        for (Repo.Manifest t : Repo.deployed("Trigger")) {
            JsonNode spec = t.doc().path("spec");
            assertThat(spec.path("broker").asText()).as("%s", t).isEqualTo("quiver");
            String type = spec.path("filter").path("attributes").path("type").asText("");
            assertThat(type).as("%s filters on a type", t).isNotEmpty();
            if (spec.has("filters")) {
                // where the Broker applies `filters` it ignores `filter`: both must take the same type
                assertThat(spec.path("filters").findValues("exact")).as("%s", t)
                        .anySatisfy(exact -> assertThat(exact.path("type").asText()).isEqualTo(type));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("functions")
    void noTriggerSendsAFunctionItsOwnReplies(String function) {
        for (HandledEvents.Reply reply : HandledEvents.of(function).replies()) {
            for (Repo.Manifest t : Repo.deployed("Trigger")) {
                JsonNode spec = t.doc().path("spec");
                boolean toFunction = spec.path("subscriber").path("ref").path("name").asText()
                        .equals("quiver-" + function);
                boolean takesType = spec.path("filter").path("attributes").path("type").asText().equals(reply.type());
                if (toFunction && takesType) {
                    assertThat(excludesSource(spec.path("filters"), reply.source()))
                            .as("%s leaves out quiver-%s's own %s replies (source %s)", t, function, reply.type(),
                                    reply.source())
                            .isTrue();
                }
            }
        }
    }

    private static boolean excludesSource(JsonNode filters, String source) {
        for (JsonNode f : filters) {
            JsonNode not = f.path("not");
            String prefix = not.path("prefix").path("source").asText(null);
            String exact = not.path("exact").path("source").asText(null);
            if ((prefix != null && source.startsWith(prefix)) || source.equals(exact)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each PingSource's tick goes to the Broker, and exactly one Trigger of type ping takes it, by the tick's own
     * extensions: drift's schedule to drift, the agent's to the agent.
     */
    @Test
    void eachScheduleReachesItsFunctionAndNoOther() {
        Map<String, String> reached = new TreeMap<>();
        for (Repo.Manifest source : Repo.deployed("PingSource")) {
            JsonNode ping = source.doc().path("spec");
            assertThat(ping.path("sink").path("ref").path("kind").asText()).as("%s", source).isEqualTo("Broker");
            List<Repo.Manifest> takers = Repo.deployed("Trigger").stream().filter(t -> takes(t, ping)).toList();
            assertThat(takers).as("the Triggers that take %s's tick", source).hasSize(1);
            reached.put(source.name(), takers.get(0).doc().path("spec").path("subscriber").path("ref").path("name")
                    .asText());
        }
        assertThat(reached).containsExactlyInAnyOrderEntriesOf(Map.of("quiver-drift-schedule", "quiver-drift",
                "quiver-agent-schedule", "quiver-agent"));
    }

    /** Whether {@code trigger} takes the ticks of the PingSource {@code ping}: its type and every other attribute. */
    private static boolean takes(Repo.Manifest trigger, JsonNode ping) {
        JsonNode spec = trigger.doc().path("spec");
        if (!PING.equals(spec.path("filter").path("attributes").path("type").asText())
                || !spec.path("broker").asText().equals(ping.path("sink").path("ref").path("name").asText())) {
            return false;
        }
        boolean[] all = {true};
        spec.path("filter").path("attributes").fields().forEachRemaining(a -> {
            if (!a.getKey().equals("type") && !a.getValue().asText()
                    .equals(ping.path("ceOverrides").path("extensions").path(a.getKey()).asText())) {
                all[0] = false;
            }
        });
        return all[0];
    }

    @Test
    void theDriftScheduleTicksAtDriftsOwnPeriodAndItsTimerIsOff() throws IOException {
        JsonNode ping = Repo.deployed("PingSource").stream().filter(p -> p.name().equals("quiver-drift-schedule"))
                .findFirst().orElseThrow().doc().path("spec");
        // every N minutes, N the default of quiver.drift.every in the drift function's DriftConfig
        Matcher cron = Pattern.compile("\\*/(\\d+) \\* \\* \\* \\*").matcher(ping.path("schedule").asText());
        assertThat(cron.matches()).as("schedule %s", ping.path("schedule")).isTrue();
        assertThat(Duration.ofMinutes(Long.parseLong(cron.group(1)))).isEqualTo(driftEveryDefault());
        // and the function's own timer is off, so that a window is not evaluated twice
        assertThat(Repo.env(Repo.container("drift"))).containsEntry("QUIVER_DRIFT_EVERY", "0s");
    }

    /** {@code @WithDefault} of {@code every()} in the drift function's DriftConfig, as Quarkus reads a duration. */
    private static Duration driftEveryDefault() throws IOException {
        String source = Files.readString(Repo.functionDir("drift")
                .resolve("src/main/java/dev/quiver/drift/function/DriftConfig.java"));
        Matcher m = Pattern.compile("@WithDefault\\(\"([^\"]+)\"\\)\\s+(?:java\\.time\\.)?Duration\\s+every\\(\\)")
                .matcher(source);
        assertThat(m.find()).as("DriftConfig's every() and its default").isTrue();
        String value = m.group(1);
        Matcher simple = Pattern.compile("(\\d+)([smhd])").matcher(value);
        if (simple.matches()) {
            long n = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        return Duration.parse(value);
    }
}
