package dev.quiver.drift;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every statistic, p-value, verdict and default test against the values SciPy and NumPy gave for the same samples
 * ({@code src/test/resources/drift/make_drift_golden.py}), within 1e-9.
 */
class DriftGoldenTest {

    static final double TOLERANCE = 1e-9;
    static final double RELATIVE = 1e-9;

    static JsonNode golden;
    static Map<String, List<String>> churn;

    @BeforeAll
    static void load() throws IOException {
        ObjectMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (InputStream in = DriftGoldenTest.class.getResourceAsStream("/drift/drift_golden.json")) {
            golden = mapper.readTree(in);
        }
        churn = readCsv(repositoryFile(golden.path("csv").asText()));
    }

    /** The file at {@code relative} from the repository root, found from the module's directory upwards. */
    static Path repositoryFile(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("cannot find " + relative + " above " + Path.of("").toAbsolutePath());
    }

    /** The churn CSV as columns of raw strings; no field of it holds a comma or an escaped quote. */
    static Map<String, List<String>> readCsv(Path csv) throws IOException {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String[] header = split(r.readLine());
            for (String h : header) {
                columns.put(h, new ArrayList<>());
            }
            String line;
            while ((line = r.readLine()) != null) {
                String[] fields = split(line);
                for (int i = 0; i < header.length; i++) {
                    columns.get(header[i]).add(fields[i]);
                }
            }
        }
        return columns;
    }

    private static String[] split(String line) {
        String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].replace("\"", "");
        }
        return fields;
    }

    /** The sample a golden spec describes, built as the script builds it. */
    static ColumnValues materialise(JsonNode spec, ColumnType type) {
        if (spec.has("values")) {
            JsonNode values = spec.path("values");
            if (values.size() > 0 && values.get(0).isTextual()) {
                List<String> out = new ArrayList<>();
                values.forEach(v -> out.add(v.asText()));
                return ColumnValues.of(out);
            }
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i).asDouble();
            }
            return ColumnValues.of(out);
        }
        if (spec.has("counts")) {
            List<String> out = new ArrayList<>();
            spec.path("counts").fields().forEachRemaining(e -> {
                for (int i = 0; i < e.getValue().asInt(); i++) {
                    out.add(e.getKey());
                }
            });
            return ColumnValues.of(out);
        }
        if (spec.has("sequence")) {
            JsonNode s = spec.path("sequence");
            int n = s.path("n").asInt();
            long m = s.path("m").asLong();
            long p = s.path("p").asLong();
            double a = s.path("a").asDouble();
            double b = s.path("b").asDouble();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = a + b * ((double) ((i * m) % p) / p);
            }
            return ColumnValues.of(out);
        }
        List<String> raw = churn.get(spec.path("csv").asText())
                .subList(spec.path("rows").get(0).asInt(), spec.path("rows").get(1).asInt());
        if (type == ColumnType.NUMERICAL) {
            double[] out = new double[raw.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Double.parseDouble(raw.get(i));
                if (spec.has("scale")) {
                    out[i] = out[i] * spec.path("scale").asDouble();
                }
                if (spec.has("add")) {
                    out[i] = out[i] + spec.path("add").asDouble();
                }
            }
            return ColumnValues.of(out);
        }
        List<String> out = new ArrayList<>(raw);
        if (spec.has("replace")) {
            JsonNode r = spec.path("replace");
            for (int i = 0; i < out.size(); i++) {
                if (i % r.path("every").asInt() == 0 && out.get(i).equals(r.path("from").asText())) {
                    out.set(i, r.path("to").asText());
                }
            }
        }
        return ColumnValues.of(out);
    }

    static ColumnType type(JsonNode node) {
        return ColumnType.valueOf(node.path("type").asText().toUpperCase());
    }

    /**
     * Within 1e-9 of the golden value, and for the small ones (p-values far in the tail) within a relative 1e-9 as
     * well, so that a p-value of 1e-60 is checked too rather than passing as "about 0".
     */
    static void assertClose(double actual, JsonNode expected, String what) {
        double e = expected.asDouble();
        if (expected.isTextual() || Double.isInfinite(e) || e == 0) {
            assertThat(actual).as(what).isEqualTo(e);
        } else {
            assertThat(actual).as(what).isCloseTo(e, within(TOLERANCE));
            assertThat(Math.abs(actual - e) / Math.abs(e)).as(what + " relative error").isLessThanOrEqualTo(RELATIVE);
        }
    }

    @Test
    void theGoldenFileCoversEveryTestAndBothKolmogorovSmirnovPaths() {
        List<String> tests = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        golden.path("cases").forEach(c -> {
            tests.add(c.path("test").asText());
            methods.add(c.path("method").asText());
        });
        assertThat(tests).contains("ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi");
        assertThat(methods).contains("exact", "asymptotic");
        assertThat(golden.path("cases").size()).isGreaterThanOrEqualTo(50);
        assertThat(golden.path("datasets").size()).isGreaterThanOrEqualTo(4);
    }

    @TestFactory
    Stream<DynamicTest> everyStatisticEqualsSciPy() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : golden.path("cases")) {
            tests.add(DynamicTest.dynamicTest(c.path("name").asText(), () -> checkCase(c)));
        }
        return tests.stream();
    }

    private static void checkCase(JsonNode c) {
        ColumnType type = type(c);
        ColumnValues reference = materialise(c.path("reference"), type);
        ColumnValues current = materialise(c.path("current"), type);
        StatTest test = StatTest.named(c.path("test").asText(), "test");
        String at = c.path("name").asText();

        // the statistic's own class
        switch (test) {
            case KS -> {
                KolmogorovSmirnov ks = KolmogorovSmirnov.test(((ColumnValues.Numbers) reference).values(),
                        ((ColumnValues.Numbers) current).values());
                assertClose(ks.statistic(), c.path("statistic"), at + " statistic");
                assertClose(ks.pValue(), c.path("p_value"), at + " p-value");
                assertThat(ks.method().name().toLowerCase()).as(at).isEqualTo(c.path("method").asText());
            }
            case CHI_SQUARE -> {
                ChiSquare chi = ChiSquare.test(CategoryCounts.of(reference, current));
                assertClose(chi.statistic(), c.path("statistic"), at + " statistic");
                assertClose(chi.pValue(), c.path("p_value"), at + " p-value");
                assertThat(chi.degreesOfFreedom()).as(at).isEqualTo(c.path("categories").asInt() - 1);
            }
            case Z -> {
                ProportionsZTest z = ProportionsZTest.test(CategoryCounts.of(reference, current));
                assertClose(z.z(), c.path("statistic"), at + " z");
                assertClose(z.pValue(), c.path("p_value"), at + " p-value");
            }
            case WASSERSTEIN -> {
                WassersteinDistance w = WassersteinDistance.test(((ColumnValues.Numbers) reference).values(),
                        ((ColumnValues.Numbers) current).values());
                assertClose(w.distance(), c.path("distance"), at + " distance");
                assertClose(w.referenceStd(), c.path("reference_std"), at + " std");
                assertClose(w.normed(), c.path("statistic"), at + " normed");
            }
            case JENSEN_SHANNON -> {
                JensenShannonDistance js = JensenShannonDistance.test(Binning.of(type, reference, current, false));
                assertThat(js.bins()).as(at + " bins").isEqualTo(c.path("bins").asInt());
                assertClose(js.distance(), c.path("statistic"), at + " distance");
            }
            case PSI -> {
                PopulationStabilityIndex psi = PopulationStabilityIndex.test(Binning.of(type, reference, current, true));
                assertThat(psi.bins()).as(at + " bins").isEqualTo(c.path("bins").asInt());
                assertClose(psi.psi(), c.path("statistic"), at + " psi");
            }
            default -> throw new AssertionError(test);
        }

        // the same through the entry point, with the test named and the threshold defaulted
        ColumnDrift drift = DataDrift.column("x", reference, current, new ColumnOptions(type, test, null));
        assertThat(drift.test()).isEqualTo(test);
        assertClose(drift.statistic(), c.path("statistic"), at + " column statistic");
        if (c.path("p_value").isNull()) {
            assertThat(drift.pValue()).as(at).isNull();
        } else {
            assertClose(drift.pValue(), c.path("p_value"), at + " column p-value");
        }
        assertThat(drift.threshold()).as(at).isEqualTo(c.path("threshold").asDouble());
        assertThat(drift.drifted()).as(at + " verdict").isEqualTo(c.path("drifted").asBoolean());

        // and Evidently's default choice for these samples
        assertThat(StatTestSelector.defaultTest(type, reference, current).evidentlyName()).as(at + " default test")
                .isEqualTo(c.path("default_test").asText());
    }

    @TestFactory
    Stream<DynamicTest> everyDataSetEqualsTheGoldenVerdict() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode d : golden.path("datasets")) {
            tests.add(DynamicTest.dynamicTest(d.path("name").asText(), () -> checkDataset(d)));
        }
        return tests.stream();
    }

    private static void checkDataset(JsonNode d) {
        Map<String, ColumnValues> reference = new LinkedHashMap<>();
        Map<String, ColumnValues> current = new LinkedHashMap<>();
        JsonNode rows = d.path("reference_rows");
        for (JsonNode c : d.path("columns")) {
            ColumnType type = type(c);
            String name = c.path("name").asText();
            ObjectMapper m = new ObjectMapper();
            JsonNode refSpec = m.createObjectNode().put("csv", name).set("rows", rows);
            reference.put(name, materialise(refSpec, type));
            current.put(name, materialise(c.path("current"), type));
        }
        DataDriftResult result = DataDrift.compute(reference, current,
                DriftOptions.withDriftShare(d.path("drift_share").asDouble()));
        assertThat(result.columns()).hasSize(d.path("columns").size());
        int i = 0;
        for (JsonNode c : d.path("columns")) {
            ColumnDrift col = result.columns().get(i++);
            String at = d.path("name").asText() + " " + c.path("name").asText();
            assertThat(col.name()).isEqualTo(c.path("name").asText());
            assertThat(col.type()).isEqualTo(type(c));
            assertThat(col.test().evidentlyName()).as(at).isEqualTo(c.path("test").asText());
            assertClose(col.statistic(), c.path("statistic"), at + " statistic");
            if (c.path("p_value").isNull()) {
                assertThat(col.pValue()).as(at).isNull();
            } else {
                assertClose(col.pValue(), c.path("p_value"), at + " p-value");
            }
            assertThat(col.threshold()).as(at).isEqualTo(c.path("threshold").asDouble());
            assertThat(col.drifted()).as(at).isEqualTo(c.path("drifted").asBoolean());
        }
        assertThat(result.driftedColumns()).isEqualTo(d.path("drifted_columns").asInt());
        assertThat(result.shareOfDriftedColumns()).isEqualTo(d.path("share_of_drifted_columns").asDouble());
        assertThat(result.datasetDrift()).isEqualTo(d.path("dataset_drift").asBoolean());
    }
}
