package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.drift.capture.DirectoryProfileStore;
import dev.quiver.drift.capture.Profile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Predictions of the demo model are captured into the current hour's profile and saved to the profile store. */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class CaptureTest {

    @Test
    void servedRowsLandInTheWindowsProfile() {
        given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.batch(7))).post("/predict")
                .then().statusCode(200);
        Path dir = Path.of(ConfigProvider.getConfig().getValue("quiver.capture.path", String.class));
        DirectoryProfileStore store = new DirectoryProfileStore(dir);
        // a window is listed as soon as its folder exists, a moment before its first profile is written into it
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Instant> listed = store.windows("churn", "1");
            List<Profile.Saved> parts = listed.isEmpty() ? List.of() : store.load("churn", "1", listed.get(0));
            return !parts.isEmpty() && Profile.merge(parts).rows() >= 7;
        });
        List<Instant> windows = store.windows("churn", "1");
        Profile.Saved p = Profile.merge(store.load("churn", "1", windows.get(windows.size() - 1)));
        assertThat(p.numeric()).containsKey("total_day_minutes");
        assertThat(p.categories().get("state")).hasSize(51);
        assertThat(p.labels()).containsExactly("no", "yes");
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).containsPattern("quiver_capture_rows_total [1-9]");
    }
}
