package dev.quiver.cdk;

import software.constructs.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the app reads from CDK context ({@code -c key=value} or {@code cdk.json}'s "context"). Every key has a
 * default that synthesizes the whole app from a checkout with the Lambda builds done; cdk/README.md lists them.
 *
 * @param root            {@code quiver.root}: the repository root (default: the nearest directory upwards from
 *                        the working directory that holds {@code config/models.yaml})
 * @param config          {@code quiver.config}: the configuration directory (default {@code <root>/config})
 * @param functions       {@code quiver.functions}: the functions deployed, comma-separated (default all of them)
 * @param rolloutModel    {@code quiver.rollout.model}: the catalog model whose rollout policy and SLA govern the
 *                        functions' deployments (default: the one model whose target is {@code function})
 * @param jwtIssuer       {@code quiver.jwt.issuer}: the JWT issuer URL; without it the routes take SigV4 (IAM)
 * @param jwtAudience     {@code quiver.jwt.audience}: the audiences a token must name, comma-separated
 * @param otelEndpoint    {@code quiver.otel.endpoint}: where the functions export OTLP (default the ADOT
 *                        collector inside the layer, {@code http://localhost:4317})
 * @param natGateways     {@code quiver.vpc.natGateways}: NAT gateways for the private subnets' egress (default 1)
 * @param nag             {@code quiver.nag}: apply cdk-nag's AwsSolutions checks at synthesis (default true)
 */
public record Settings(Path root, Path config, List<QuiverFunction> functions, String rolloutModel,
                       String jwtIssuer, List<String> jwtAudience, String otelEndpoint,
                       int natGateways, boolean nag, Node node) {

    /** How a function's code runs on Lambda. */
    public enum Runtime {
        /** a native executable in {@code function.zip}, on {@code provided.al2023} */
        NATIVE,
        /** the JVM build's {@code function.zip} on the Java 21 managed runtime with SnapStart */
        JVM
    }

    /** Reads the settings from {@code node}'s context. */
    public static Settings from(Node node) {
        Path root = pathOr(node, "quiver.root", null);
        if (root == null) {
            root = findRoot(Path.of("").toAbsolutePath());
        }
        Path config = pathOr(node, "quiver.config", root.resolve("config"));
        String fns = string(node, "quiver.functions", QuiverFunction.names());
        List<QuiverFunction> functions = Arrays.stream(fns.split(",")).filter(s -> !s.isBlank())
                .map(QuiverFunction::named).distinct().toList();
        String audience = string(node, "quiver.jwt.audience", "");
        return new Settings(root, config, functions, string(node, "quiver.rollout.model", null),
                string(node, "quiver.jwt.issuer", null),
                Arrays.stream(audience.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                string(node, "quiver.otel.endpoint", "http://localhost:4317"),
                Integer.parseInt(string(node, "quiver.vpc.natGateways", "1")),
                Boolean.parseBoolean(string(node, "quiver.nag", "true")), node);
    }

    /**
     * {@code quiver.jwt.jwksUrl}: where the issuer publishes its signing keys, which the functions check tokens
     * against after the gateway (default {@code <issuer>/.well-known/jwks.json}, as Cognito and most OIDC providers
     * publish them); null without an issuer.
     */
    public String jwksUrl() {
        if (jwtIssuer == null) {
            return null;
        }
        return string(node, "quiver.jwt.jwksUrl", jwtIssuer + (jwtIssuer.endsWith("/") ? "" : "/")
                + ".well-known/jwks.json");
    }

    /** {@code quiver.runtime.<fn>}: {@code native} (default) or {@code jvm}. */
    public Runtime runtime(QuiverFunction fn) {
        String v = string(node, "quiver.runtime." + fn.name(), "native").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "native" -> Runtime.NATIVE;
            case "jvm" -> Runtime.JVM;
            default -> throw new IllegalArgumentException("quiver.runtime." + fn.name() + ": '" + v
                    + "' is neither native nor jvm");
        };
    }

    /**
     * {@code quiver.code.<fn>}: the function's zip (default {@code <root>/<build>/target/function.zip}, as
     * {@code functions/predict/lambda/target/function.zip} or
     * {@code functions/predict/lambda-events/target/function.zip}).
     */
    public Path code(QuiverFunction fn) {
        Path zip = pathOr(node, "quiver.code." + fn.name(), root.resolve(fn.build()).resolve("target/function.zip"));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("quiver.code." + fn.name() + ": no Lambda build at " + zip + " (build it"
                    + " with ./mvnw -pl " + fn.build() + " -am package, or leave the function out"
                    + " with -c quiver.functions=...)");
        }
        return zip;
    }

    /**
     * {@code quiver.<fn>.schedule}: when the function's schedule fires, an EventBridge rate or cron expression
     * (default the function's own: drift {@code rate(1 hour)}, agent {@code rate(1 minute)}); null for a function
     * without a schedule.
     */
    public String schedule(QuiverFunction fn) {
        return fn.schedule() == null ? null
                : string(node, "quiver." + fn.name() + ".schedule", fn.schedule().expression());
    }

    /**
     * {@code quiver.bucket.<fn>}: {@code none}, {@code read} or {@code read-write} on the model bucket (default per
     * function: predict read-write, drift read, the others none).
     */
    public QuiverFunction.BucketAccess bucket(QuiverFunction fn) {
        String v = string(node, "quiver.bucket." + fn.name(), null);
        return v == null ? fn.bucket() : QuiverFunction.BucketAccess.of("quiver.bucket." + fn.name(), v);
    }

    /** {@code quiver.timeout.<fn>}: the function's timeout in seconds (default per function). */
    public int timeoutSeconds(QuiverFunction fn) {
        return Integer.parseInt(string(node, "quiver.timeout." + fn.name(), String.valueOf(fn.timeoutSeconds())));
    }

    /** {@code quiver.memory.<fn>}: the function's memory in MB (default 1024: ONNX Runtime and two vCPUs' share). */
    public int memoryMb(QuiverFunction fn) {
        return Integer.parseInt(string(node, "quiver.memory." + fn.name(), "1024"));
    }

    /**
     * {@code quiver.otel.layerArn.<native|jvm>}: the ADOT layer for functions of that runtime; null means the
     * region's ADOT layer from CDK's fact table (collector for native, Java SDK wrapper for jvm).
     */
    public String otelLayerArn(Runtime runtime) {
        return string(node, "quiver.otel.layerArn." + runtime.name().toLowerCase(Locale.ROOT), null);
    }

    /** The model catalog file. */
    public Path catalog() {
        return config.resolve("models.yaml");
    }

    static String string(Node node, String key, String otherwise) {
        Object v = node.tryGetContext(key);
        return v == null || v.toString().isBlank() ? otherwise : v.toString().trim();
    }

    private static Path pathOr(Node node, String key, Path otherwise) {
        String v = string(node, key, null);
        return v == null ? otherwise : Path.of(v).toAbsolutePath().normalize();
    }

    private static Path findRoot(Path from) {
        for (Path p = from; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("config/models.yaml"))) {
                return p;
            }
        }
        throw new IllegalArgumentException("quiver.root: no config/models.yaml in " + from
                + " or above it; run from the repository (or cdk/) or set -c quiver.root=...");
    }
}
