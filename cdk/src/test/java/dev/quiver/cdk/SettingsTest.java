package dev.quiver.cdk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the app reads from context, without synthesizing: functions by name, their zips' paths, schedules. */
class SettingsTest {

    @TempDir
    Path root;

    Settings settings(Map<String, Object> context) {
        Map<String, Object> ctx = new HashMap<>(context);
        ctx.put("quiver.root", root.toString());
        return Settings.from(new App(AppProps.builder().context(ctx).build()).getNode());
    }

    @Test
    void everyFunctionIsDeployedByDefault() {
        assertThat(settings(Map.of()).functions()).containsExactly(QuiverFunction.PREDICT, QuiverFunction.FEATURES,
                QuiverFunction.DRIFT, QuiverFunction.AGENT, QuiverFunction.PREDICT_EVENTS,
                QuiverFunction.FEATURES_EVENTS);
    }

    @Test
    void theEventBuildsAreNamedAsTheirFunctions() {
        assertThat(settings(Map.of("quiver.functions", " Predict-Events,features-events ,predict-events")).functions())
                .containsExactly(QuiverFunction.PREDICT_EVENTS, QuiverFunction.FEATURES_EVENTS);
        assertThat(QuiverFunction.PREDICT_EVENTS.id()).isEqualTo("PredictEvents");
        assertThat(QuiverFunction.FEATURES_EVENTS.id()).isEqualTo("FeaturesEvents");
    }

    /** A zip's default path is its Lambda build's target directory, predict-events' under predict's module. */
    @Test
    void eachZipDefaultsToItsBuildsTarget() throws IOException {
        Map<QuiverFunction, String> paths = Map.of(
                QuiverFunction.PREDICT, "functions/predict/lambda/target/function.zip",
                QuiverFunction.PREDICT_EVENTS, "functions/predict/lambda-events/target/function.zip",
                QuiverFunction.FEATURES_EVENTS, "functions/features/lambda-events/target/function.zip",
                QuiverFunction.AGENT, "functions/agent/lambda/target/function.zip");
        Settings settings = settings(Map.of());
        for (var e : paths.entrySet()) {
            Path zip = root.resolve(e.getValue());
            assertThatThrownBy(() -> settings.code(e.getKey())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("quiver.code." + e.getKey().name() + ": no Lambda build at " + zip)
                    .hasMessageContaining("./mvnw -pl " + Path.of(e.getValue()).getParent().getParent() + " -am");
            Files.createDirectories(zip.getParent());
            Files.writeString(zip, "zip");
            assertThat(settings.code(e.getKey())).isEqualTo(zip);
        }
    }

    @Test
    void schedulesDefaultPerFunctionAndFollowContext() {
        Settings defaults = settings(Map.of());
        assertThat(defaults.schedule(QuiverFunction.DRIFT)).isEqualTo("rate(1 hour)");
        assertThat(defaults.schedule(QuiverFunction.AGENT)).isEqualTo("rate(1 minute)");
        for (QuiverFunction fn : List.of(QuiverFunction.PREDICT, QuiverFunction.FEATURES, QuiverFunction.PREDICT_EVENTS,
                QuiverFunction.FEATURES_EVENTS)) {
            assertThat(defaults.schedule(fn)).as(fn.name()).isNull();
        }
        assertThat(settings(Map.of("quiver.agent.schedule", "rate(5 minutes)")).schedule(QuiverFunction.AGENT))
                .isEqualTo("rate(5 minutes)");
    }
}
