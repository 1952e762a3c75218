package dev.quiver.drift.evaluation;

import dev.quiver.agent.DeploymentRequest;
import dev.quiver.agent.IssueAlert;
import dev.quiver.agent.Severity;
import dev.quiver.team.CheckedChannel;
import dev.quiver.drift.ColumnDrift;
import dev.quiver.drift.ColumnValues;
import dev.quiver.drift.DataDrift;
import dev.quiver.drift.DataDriftResult;
import dev.quiver.drift.DriftOptions;
import dev.quiver.drift.StatTest;
import dev.quiver.drift.WrittenOptions;
import dev.quiver.drift.capture.Outcome;
import dev.quiver.error.QuiverException;
import dev.quiver.testing.FeatureFixtures;
import dev.quiver.testing.Problems;
import dev.quiver.testing.SimClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.quiver.drift.evaluation.ChurnWindows.SMALL_WINDOW;
import static dev.quiver.drift.evaluation.ChurnWindows.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link DriftService} over a directory model store seeded from the repository's catalog and a directory profile
 * store holding captured windows of churn:1 ({@link ChurnWindows}), under the repository's config/drift.yaml, which
 * watches {@code total_day_minutes} and allows the accuracy a drop of 0.05.
 */
class DriftServiceTest {

    @TempDir
    Path dir;

    private final SimClock clock = new SimClock();
    private final CheckedChannel alerts = new CheckedChannel();
    private final List<IssueAlert> emitted = alerts.alerts();

    /** The settings config/drift.yaml gives, with the default fewest rows. */
    private static DriftSettings configured() {
        Path file = FeatureFixtures.repositoryRoot().resolve("config/drift.yaml");
        return new DriftSettings(WrittenOptions.read(file), WrittenOptions.readAlerts(file),
                DriftSettings.DEFAULT_MIN_ROWS);
    }

    private DriftService service(ChurnWindows world) {
        return service(world, configured(), EvaluationObserver.NONE);
    }

    private DriftService service(ChurnWindows world, DriftSettings settings, EvaluationObserver observer) {
        return new DriftService(world.models, world.profiles, alerts, settings, observer, clock);
    }

    private DriftService service(ChurnWindows world, DriftSettings settings, EvaluationObserver observer,
                                 Map<String, DeploymentRequest.Requirements> requirements) {
        return new DriftService(world.models, world.profiles, alerts, settings, observer, clock, requirements);
    }

    private static List<Outcome> labels(int count, int no) {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Outcome("w-" + i, 0, i < no ? "no" : "yes"));
        }
        return out;
    }

    @Test
    void listsTheCapturedWindowsWithEveryInstancesRows() {
        DriftService drift = service(ChurnWindows.captured(dir));

        assertThat(drift.windows("churn", "1")).containsExactly(new DriftService.Window(SMALL_WINDOW, 12, 1),
                new DriftService.Window(WINDOW, 1000, 2));
        assertThat(drift.captured()).containsExactly(new String[] {"churn", "1"});
    }

    @Test
    void aWindowWithTooFewRowsIsRefusedRatherThanJudged() {
        DriftService drift = service(ChurnWindows.captured(dir));

        QuiverException e = Problems.expect(QuiverException.Kind.REJECTED, "window",
                () -> drift.report("churn", "1", SMALL_WINDOW, null));

        assertThat(e.reason()).contains("has 12 rows").contains("not computed below 30");
        assertThat(service(ChurnWindows.empty(dir.resolve("again")).save("i-1", WINDOW, 0, 12, 0),
                configured().withMinRows(10), EvaluationObserver.NONE).report("churn", "1", null, null).currentRows())
                .isEqualTo(12);
    }

    @Test
    void aWindowWithShiftedDayMinutesDriftsOnThatColumn() {
        DriftService drift = service(ChurnWindows.captured(dir));

        DriftService.Report r = drift.report("churn", "1", null, null);

        assertThat(r.window()).as("the latest").isEqualTo(WINDOW);
        assertThat(r.referenceRows()).isEqualTo(4000);
        assertThat(r.currentRows()).isEqualTo(1000);
        assertThat(r.drift().columns()).hasSize(19);
        ColumnDrift minutes = r.drift().column("total_day_minutes");
        assertThat(minutes.test()).isEqualTo(StatTest.WASSERSTEIN);
        assertThat(minutes.drifted()).isTrue();
        assertThat(minutes.statistic()).isGreaterThan(0.5);
        assertThat(r.drift().column("state").test()).isEqualTo(StatTest.JENSEN_SHANNON);
        assertThat(r.errorBounds().get("state")).isZero();
        assertThat(r.drift().datasetDrift()).isFalse();
        // every score is 0.5: a model that lost its confidence, which CBPE sees without labels
        assertThat(r.estimatedPerformance().reference().accuracy()).isGreaterThan(0.9);
        assertThat(r.estimatedPerformance().current().accuracy()).isCloseTo(0.5, within(1e-6));
        // merging the instances' sketches is randomised, so the same window is named rather than compared whole
        assertThat(drift.report("churn", "1", WINDOW, null).window()).isEqualTo(WINDOW);
    }

    @Test
    void anEvaluationRaisesEachAlertOncePerWindow() {
        DriftService drift = service(ChurnWindows.captured(dir));

        DriftService.Evaluation first = drift.evaluate("churn", "1", null);
        DriftService.Evaluation again = drift.evaluate("churn", "1", null);

        assertThat(first.alerts()).hasSize(2).allSatisfy(a -> {
            assertThat(a.header().recipient()).isEqualTo("project_manager_id");
            assertThat(a.header().sentAt()).isEqualTo(clock.now);
            assertThat(a.issue().modelId()).isEqualTo("churn");
            assertThat(a.issue().severity()).isEqualTo(Severity.HIGH);
            assertThat(a.issue().detectedAt()).isEqualTo(clock.now);
            // how many columns drift depends on the sketches' randomised compaction at the margin
            assertThat(a.issue().action()).startsWith("Investigating ").containsPattern("[1-9]\\d* of 19 columns drifted");
            assertThat(a.issue().details().get("version").asText()).isEqualTo("1");
            assertThat(a.issue().details().get("window").asText()).isEqualTo(WINDOW.toString());
            assertThat(a.issue().details().get("current_rows").asLong()).isEqualTo(1000);
        });
        assertThat(first.alerts()).extracting(a -> a.header().correlationId()).doesNotHaveDuplicates();
        assertThat(first.alerts()).extracting(a -> a.issue().issue())
                .anyMatch(i -> i.startsWith("Column total_day_minutes drifted: wasserstein distance"))
                .anyMatch(i -> i.matches("Model accuracy estimated without labels dropped from 0\\.9\\d to 0\\.50 .*"));
        assertThat(again.alerts()).isEmpty();
        assertThat(emitted).containsExactlyElementsOf(first.alerts());
    }

    @Test
    void anotherInstanceOnTheSameStoresDoesNotRaiseTheAlertsAgain() {
        ChurnWindows world = ChurnWindows.captured(dir);

        assertThat(service(world).evaluate("churn", "1", WINDOW).alerts()).hasSize(2);
        assertThat(service(world).evaluate("churn", "1", WINDOW).alerts()).isEmpty();
        assertThat(emitted).hasSize(2);
    }

    @Test
    void aDriftThatPersistsOverThreeWindowsIsOneIncidentWithOneAlert() {
        ChurnWindows world = ChurnWindows.empty(dir);
        List<Instant> windows = hours(3);
        windows.forEach(w -> world.save("i-1", w, 4000, 5000, 40));
        DriftService drift = service(world);

        List<IssueAlert> raised = windows.stream().flatMap(w -> drift.evaluate("churn", "1", w).alerts().stream())
                .toList();

        // the watched column and the estimated accuracy: two conditions, each one incident
        assertThat(raised).hasSize(2).allSatisfy(a -> assertThat(a.issue().details().get("window").asText())
                .isEqualTo(windows.get(0).toString()));
        IssueAlert column = raised.stream().filter(a -> a.issue().issue().startsWith("Column total_day_minutes"))
                .findFirst().orElseThrow();
        for (Instant w : windows) {
            assertThat(world.profiles.claims("churn", "1", w)).as("window %s", w)
                    .containsEntry("incident-column-total_day_minutes", column.header().correlationId());
        }
        assertThat(emitted).containsExactlyElementsOf(raised);
    }

    @Test
    void anAccuracyIncidentAsksForARetrainedModelAtOnceAndADriftIncidentAfterThreeWindowsInARow() {
        ChurnWindows world = ChurnWindows.empty(dir);
        List<Instant> windows = hours(4);
        windows.forEach(w -> world.save("i-1", w, 4000, 5000, 40));
        DriftService drift = service(world, configured(), EvaluationObserver.NONE, Map.of("churn", SLA));

        List<DriftService.Evaluation> done = windows.stream().map(w -> drift.evaluate("churn", "1", w)).toList();

        String accuracy = correlation(done.get(0).alerts(), "Model accuracy estimated");
        String column = correlation(done.get(0).alerts(), "Column total_day_minutes");
        // config/drift.yaml: retrain_after_windows: 3
        assertThat(done.get(0).requests()).singleElement().satisfies(r -> {
            assertThat(r.header().recipient()).isEqualTo("data_scientist_id");
            assertThat(r.header().correlationId()).as("the accuracy incident's").isEqualTo(accuracy);
            assertThat(r.request().modelId()).isEqualTo("churn");
            assertThat(r.request().requirements()).isEqualTo(SLA);
        });
        assertThat(done.get(1).requests()).isEmpty();
        assertThat(done.get(2).requests()).singleElement()
                .satisfies(r -> assertThat(r.header().correlationId()).as("the drift incident's").isEqualTo(column));
        assertThat(done.get(3).requests()).as("once per incident, not per window").isEmpty();
        assertThat(drift.evaluate("churn", "1", windows.get(2)).requests()).as("nor per evaluation").isEmpty();
        assertThat(alerts.deploymentRequests()).hasSize(2);
    }

    @Test
    void aDriftShorterThanTheConfiguredWindowsAsksForNothingAndZeroNeverAsks() {
        ChurnWindows world = ChurnWindows.empty(dir);
        List<Instant> windows = hours(4);
        world.save("i-1", windows.get(0), 4000, 5000, 40).save("i-1", windows.get(1), 4000, 5000, 40)
                .save("i-1", windows.get(2), 4000, 5000, 0).save("i-1", windows.get(3), 4000, 5000, 40);
        WrittenOptions.Alerts noAccuracy = new WrittenOptions.Alerts(false, List.of("total_day_minutes"), "high", 0.99,
                2);
        DriftService drift = service(world, new DriftSettings(DriftOptions.DEFAULTS, noAccuracy, 30),
                EvaluationObserver.NONE);

        List<List<DeploymentRequest>> asked = windows.stream().map(w -> drift.evaluate("churn", "1", w).requests())
                .toList();

        assertThat(asked.get(0)).isEmpty();
        assertThat(asked.get(1)).as("the second window in a row").hasSize(1);
        assertThat(asked.get(2)).as("cleared").isEmpty();
        assertThat(asked.get(3)).as("a new incident, one window old").isEmpty();
        assertThat(asked.get(1).get(0).request().requirements())
                .as("a model the catalog states nothing for").isEqualTo(new DeploymentRequest.Requirements(null, null, "ONNX"));

        ChurnWindows again = ChurnWindows.empty(dir.resolve("never"));
        hours(4).forEach(w -> again.save("i-1", w, 4000, 5000, 40));
        DriftService never = service(again, new DriftSettings(DriftOptions.DEFAULTS,
                new WrittenOptions.Alerts(false, List.of("total_day_minutes"), "high", 0.99, 0), 30),
                EvaluationObserver.NONE);
        assertThat(hours(4).stream().flatMap(w -> never.evaluate("churn", "1", w).requests().stream())).isEmpty();
        Problems.expect(QuiverException.Kind.BAD_INPUT, "alerts.retrain_after_windows",
                () -> new WrittenOptions.Alerts(null, null, null, null, -1));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "alerts.retrain_after_windows",
                () -> new WrittenOptions.Alerts(null, null, null, null, 169));
    }

    @Test
    void anOperatorAsksForARetrainedModelWithTheCatalogsRequirements() {
        DriftService drift = service(ChurnWindows.captured(dir), configured(), EvaluationObserver.NONE,
                Map.of("churn", SLA));

        DeploymentRequest asked = drift.requestRetraining("churn", "incident-7");

        assertThat(asked.header().correlationId()).isEqualTo("incident-7");
        assertThat(asked.header().sentAt()).isEqualTo(clock.instant());
        assertThat(asked.request().requirements()).isEqualTo(SLA);
        assertThat(alerts.deploymentRequests()).containsExactly(asked);
        assertThat(drift.requestRetraining("churn", null).header().correlationId()).isNotBlank()
                .isNotEqualTo("incident-7");
        Problems.expect(QuiverException.Kind.NOT_FOUND, "model", () -> drift.requestRetraining("nope", null));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "correlation_id", () -> drift.requestRetraining("churn", " "));
    }

    private static final DeploymentRequest.Requirements SLA =
            new DeploymentRequest.Requirements("p99 <= 100 ms", "1000 req/s", "ONNX");

    private static String correlation(List<IssueAlert> alerts, String issueStart) {
        return alerts.stream().filter(a -> a.issue().issue().startsWith(issueStart)).findFirst().orElseThrow()
                .header().correlationId();
    }

    @Test
    void aDriftThatClearsAndComesBackIsTwoIncidents() {
        ChurnWindows world = ChurnWindows.empty(dir);
        List<Instant> windows = hours(3);
        world.save("i-1", windows.get(0), 4000, 5000, 40).save("i-1", windows.get(1), 4000, 5000, 0)
                .save("i-1", windows.get(2), 4000, 5000, 40);
        DriftService drift = service(world);

        List<List<IssueAlert>> raised = windows.stream().map(w -> drift.evaluate("churn", "1", w).alerts()).toList();

        assertThat(raised.get(0)).extracting(a -> a.issue().issue()).hasSize(2)
                .anyMatch(i -> i.startsWith("Column total_day_minutes drifted"));
        assertThat(raised.get(1)).as("the column is clean; the estimated drop persists").isEmpty();
        assertThat(raised.get(2)).singleElement().satisfies(a -> {
            assertThat(a.issue().issue()).startsWith("Column total_day_minutes drifted");
            assertThat(a.header().correlationId()).isNotEqualTo(raised.get(0).stream()
                    .filter(b -> b.issue().issue().startsWith("Column")).findFirst().orElseThrow()
                    .header().correlationId());
        });
        assertThat(world.profiles.claims("churn", "1", windows.get(1))).containsKey("clear-column-total_day_minutes")
                .doesNotContainKey("incident-column-total_day_minutes");
    }

    @Test
    void aWindowThatCouldNotBeJudgedNeitherEndsNorContinuesAnIncident() {
        ChurnWindows world = ChurnWindows.empty(dir);
        List<Instant> windows = hours(3);
        world.save("i-1", windows.get(0), 4000, 5000, 40).save("i-1", windows.get(1), 4000, 4012, 0)
                .save("i-1", windows.get(2), 4000, 5000, 40);
        DriftService drift = service(world);

        assertThat(drift.evaluate("churn", "1", windows.get(0)).alerts()).hasSize(2);
        Problems.expect(QuiverException.Kind.REJECTED, "window", () -> drift.evaluate("churn", "1", windows.get(1)));
        assertThat(drift.evaluate("churn", "1", windows.get(2)).alerts()).isEmpty();
    }

    /** {@code n} hourly windows from {@link ChurnWindows#WINDOW} on. */
    private static List<Instant> hours(int n) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(WINDOW.plusSeconds(3600L * i));
        }
        return out;
    }

    @Test
    void labelsThatArriveLaterGiveMeasuredPerformanceAndAnAccuracyAlert() {
        DriftService drift = service(ChurnWindows.captured(dir));
        drift.evaluate("churn", "1", null);

        assertThat(drift.feedback("churn", labels(100, 60))).isEqualTo(100);

        DriftService.Report r = drift.report("churn", "1", null, null);
        assertThat(r.measuredPerformance().current().predictions()).isEqualTo(1000);
        assertThat(r.measuredPerformance().current().labelled()).isEqualTo(100);
        assertThat(r.measuredPerformance().current().accuracy()).isCloseTo(0.6, within(1e-6));
        assertThat(r.measuredPerformance().holdout().get("accuracy")).isGreaterThan(0.9);
        assertThat(drift.evaluate("churn", "1", null).alerts()).singleElement().satisfies(a -> {
            assertThat(a.issue().issue()).isEqualTo("Model accuracy dropped from 0.96 to 0.60");
            // how many columns drift over this window depends on the sketches' randomised compaction at the margin
            assertThat(a.issue().action()).matches("Investigating data drift as the cause: [1-9]\\d* of 19 columns drifted");
            assertThat(a.issue().details().get("labelled_rows").asLong()).isEqualTo(100);
        });
    }

    @Test
    void aBadLabelRefusesTheWholeBatchNamingTheField() {
        ChurnWindows world = ChurnWindows.captured(dir);
        DriftService drift = service(world);
        List<Outcome> oneBad = new ArrayList<>(labels(3, 3));
        oneBad.set(1, new Outcome("w-1", 0, "maybe"));

        QuiverException e = Problems.expect(QuiverException.Kind.BAD_INPUT, "outcomes[1].label",
                () -> drift.feedback("churn", oneBad));
        assertThat(e.reason()).isEqualTo("'maybe' is not one of the model's classes [no, yes]");
        Problems.expect(QuiverException.Kind.BAD_INPUT, "outcomes[0].request_id",
                () -> drift.feedback("churn", List.of(new Outcome(null, null, "no"))));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "outcomes", () -> drift.feedback("churn", List.of()));
        Problems.expect(QuiverException.Kind.NOT_FOUND, "model", () -> drift.feedback("nope", labels(1, 1)));
        Problems.expect(QuiverException.Kind.BAD_INPUT, "model", () -> drift.feedback("../etc", labels(1, 1)));
        assertThat(world.profiles.outcomes("churn")).isEmpty();
    }

    @Test
    void unknownVersionsAndWindowsAreNotFound() {
        DriftService drift = service(ChurnWindows.captured(dir));

        Problems.expect(QuiverException.Kind.NOT_FOUND, "version", () -> drift.report("churn", "9", null, null));
        Problems.expect(QuiverException.Kind.NOT_FOUND, "version", () -> drift.windows("nope", "1"));
        QuiverException e = Problems.expect(QuiverException.Kind.NOT_FOUND, "window",
                () -> drift.report("churn", "1", Instant.parse("2026-11-28T05:00:00Z"), null));
        assertThat(e.reason()).contains("no window of churn:1 starts at 2026-11-28T05:00:00Z")
                .contains(WINDOW.toString());
        Problems.expect(QuiverException.Kind.BAD_INPUT, "model", () -> drift.report("../etc", "1", null, null));
        QuiverException nothing = Problems.expect(QuiverException.Kind.NOT_FOUND, "window",
                () -> service(ChurnWindows.empty(dir.resolve("empty"))).report("churn", "1", null, null));
        assertThat(nothing.reason()).isEqualTo("nothing captured yet for churn:1");
    }

    @Test
    void aSweepEvaluatesTheLatestWindowOfEveryCapturedVersion() {
        DriftService drift = service(ChurnWindows.captured(dir));

        DriftService.Sweep sweep = drift.evaluateLatest();

        assertThat(sweep.skipped()).isEmpty();
        assertThat(sweep.evaluations()).singleElement().satisfies(e -> {
            assertThat(e.report().model()).isEqualTo("churn");
            assertThat(e.report().window()).isEqualTo(WINDOW);
            assertThat(e.alerts()).hasSize(2);
        });
    }

    @Test
    void aSweepSkipsAVersionItCannotJudgeAndSaysWhy() {
        DriftService drift = service(ChurnWindows.empty(dir).save("i-1", WINDOW, 0, 12, 0));

        DriftService.Sweep sweep = drift.evaluateLatest();

        assertThat(sweep.evaluations()).isEmpty();
        assertThat(sweep.skipped()).singleElement().satisfies(s -> {
            assertThat(s.model()).isEqualTo("churn");
            assertThat(s.version()).isEqualTo("1");
            assertThat(s.reason()).contains("has 12 rows");
        });
        assertThat(emitted).isEmpty();
    }

    @Test
    void theObserverWrapsEveryEvaluationAndSeesItsFailures() {
        List<String> seen = new ArrayList<>();
        EvaluationObserver observer = (model, version, evaluation) -> {
            try {
                DriftService.Evaluation e = evaluation.get();
                seen.add(model + ":" + version + " " + e.report().window() + " " + e.alerts().size());
                return e;
            } catch (QuiverException e) {
                seen.add(model + ":" + version + " " + e.kind());
                throw e;
            }
        };
        DriftService drift = service(ChurnWindows.captured(dir), configured(), observer);

        drift.evaluate("churn", "1", null);
        drift.evaluateLatest();
        assertThatThrownBy(() -> drift.evaluate("churn", "1", SMALL_WINDOW)).isInstanceOf(QuiverException.class);

        assertThat(seen).containsExactly("churn:1 " + WINDOW + " 2", "churn:1 " + WINDOW + " 0", "churn:1 REJECTED");
    }

    @Test
    void exactModeUsesTheConfiguredOptionsUnlessTheRequestGivesSome() {
        DriftService drift = service(ChurnWindows.empty(dir));
        Map<String, ColumnValues> reference = Map.of("age", ColumnValues.of(31, 45, 27, 52, 38, 41, 29, 33, 47, 36),
                "plan", ColumnValues.of(List.of("a", "b", "a", "a", "b", "a", "b", "a", "a", "b")));
        Map<String, ColumnValues> current = Map.of("age", ColumnValues.of(51, 65, 47, 72, 58, 61, 49, 53, 67, 56),
                "plan", ColumnValues.of(List.of("a", "a", "a", "a", "b", "a", "a", "a", "a", "a")));

        DataDriftResult configuredResult = drift.exact(reference, current, null);
        DataDriftResult requested = drift.exact(reference, current, new WrittenOptions(null,
                Map.of("age", new WrittenOptions.Column(null, "psi", 0.2))));

        assertThat(configuredResult).isEqualTo(DataDrift.compute(reference, current, configured().options()));
        assertThat(requested.column("age").test()).isEqualTo(StatTest.PSI);
        assertThat(drift.options(null)).isEqualTo(configured().options());
        Problems.expect(QuiverException.Kind.BAD_INPUT, "options.columns.age.test", () -> drift.exact(reference,
                current, new WrittenOptions(null, Map.of("age", new WrittenOptions.Column(null, "magic", null)))));
    }

    @Test
    void theHtmlPageHasAChartPerDriftedColumnAndFetchesNothing() {
        DriftService drift = service(ChurnWindows.captured(dir));

        String page = drift.page("churn", "1", null);

        // the page merges the instances' sketches itself; a second merge (another report) may judge a column at the
        // margin the other way, so the page is held to its own verdicts
        long charts = Pattern.compile("<svg class=\"chart\"").matcher(page).results().count();
        Matcher expected = Pattern.compile("data-charts-expected=\"(\\d+)\"").matcher(page);
        assertThat(expected.find()).isTrue();
        assertThat(Long.parseLong(expected.group(1))).isEqualTo(charts).isGreaterThanOrEqualTo(1);
        assertThat(page).contains("total_day_minutes").contains("<svg class=\"chart\"")
                .doesNotContain("<script src").doesNotContain("<link");
    }

    @Test
    void settingsRefuseWhatCannotBeJudgedBy() {
        assertThatThrownBy(() -> DriftSettings.DEFAULTS.withMinRows(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minRows");
        assertThatThrownBy(() -> new DriftSettings(null, WrittenOptions.Alerts.DEFAULT, 30))
                .isInstanceOf(NullPointerException.class);
        assertThat(DriftSettings.DEFAULTS.options()).isEqualTo(DriftOptions.DEFAULTS);
        assertThat(DriftSettings.DEFAULTS.minRows()).isEqualTo(30);
    }
}
