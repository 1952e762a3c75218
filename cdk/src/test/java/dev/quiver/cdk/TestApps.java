package dev.quiver.cdk;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Named builders of the apps the tests synthesize: a temporary configuration directory holding a model catalog
 * with the rollout steps a test asks for, and a dummy {@code function.zip} per function (the Lambda builds are
 * not needed to synthesize), passed to the app through the same context keys a deployment uses.
 */
final class TestApps {

    private final Path dir;
    private final Map<String, Object> context = new HashMap<>();
    private List<Integer> steps = List.of(25, 50, 75, 100);
    private String minDuration = "PT10M";
    private double p99Ms = 100;
    private double maxErrorRateIncrease = 0.01;

    private TestApps(Path dir) {
        this.dir = dir;
    }

    /** An app of every function, native runtimes, JWT routes, with a [25, 50, 75, 100] canary over PT10M. */
    static TestApps quiver() {
        try {
            TestApps t = new TestApps(Files.createTempDirectory("quiver-cdk-test"));
            t.context.put("quiver.jwt.issuer", "https://issuer.example.com/");
            t.context.put("quiver.jwt.audience", "quiver-api,quiver-cli");
            for (QuiverFunction fn : QuiverFunction.ALL) {
                t.context.put("quiver.code." + fn.name(), t.dummyZip(fn.name()).toString());
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestApps steps(List<Integer> steps) {
        this.steps = steps;
        return this;
    }

    TestApps minDuration(String isoDuration) {
        this.minDuration = isoDuration;
        return this;
    }

    TestApps p99Ms(double p99Ms) {
        this.p99Ms = p99Ms;
        return this;
    }

    TestApps maxErrorRateIncrease(double rate) {
        this.maxErrorRateIncrease = rate;
        return this;
    }

    TestApps context(String key, Object value) {
        if (value == null) {
            context.remove(key);
        } else {
            context.put(key, value);
        }
        return this;
    }

    /** The catalog file the app reads. */
    Path catalog() {
        return dir.resolve("config/models.yaml");
    }

    /** Writes the catalog and returns an app over it (stacks not yet defined). */
    App app() {
        try {
            Files.createDirectories(catalog().getParent());
            String yaml = """
                    models:
                      - name: churn
                        target: function
                        rollout:
                          strategy: canary
                          steps: [%s]
                          min_duration: %s
                          gates:
                            max_error_rate_increase: %s
                        sla:
                          p99_ms: %s
                    """.formatted(steps.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                    minDuration, maxErrorRateIncrease, p99Ms);
            Files.writeString(catalog(), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> ctx = new HashMap<>(context);
        ctx.put("quiver.root", dir.toString());
        ctx.put("quiver.config", catalog().getParent().toString());
        return new App(AppProps.builder().context(ctx).outdir(dir.resolve("cdk.out").toString()).build());
    }

    private Path dummyZip(String name) throws IOException {
        Path zip = dir.resolve(name + "/function.zip");
        Files.createDirectories(zip.getParent());
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("bootstrap"));
            z.write(("#!/bin/sh\n# stands in for the " + name + " function's native executable\n")
                    .getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return zip;
    }
}
