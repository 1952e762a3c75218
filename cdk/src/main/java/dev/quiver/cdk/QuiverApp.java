package dev.quiver.cdk;

import dev.quiver.error.QuiverException;
import dev.quiver.registry.Catalog;
import dev.quiver.rollout.RolloutPolicy;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CDK app: reads {@code config/models.yaml} through {@link Catalog}, picks the model whose rollout policy
 * governs the functions' deployments, and defines the data and functions stacks. {@code cdk synth} (through
 * cdk.json) and {@code ./mvnw -pl cdk exec:java} both run {@link #main}.
 */
public final class QuiverApp {

    /** The stacks of one app. */
    public record Stacks(DataStack data, FunctionsStack functions) {
    }

    private QuiverApp() {
    }

    /**
     * Synthesizes the app. Under the CDK CLI, context and the output directory come from the CLI; run by Maven
     * ({@code -Psynth}), the {@code quiver.*} system properties are the context and {@code quiver.outdir} (the
     * module's {@code cdk.out}) the output. Exits with 1, listing them, when synthesis reports errors (cdk-nag's
     * findings among them), as {@code cdk synth} does.
     */
    public static void main(String[] args) {
        Map<String, Object> context = new TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("quiver.") && !k.toString().equals("quiver.outdir")) {
                context.put(k.toString(), v.toString());
            }
        });
        AppProps.Builder props = AppProps.builder().context(context);
        if (System.getenv("CDK_OUTDIR") == null) {
            props.outdir(System.getProperty("quiver.outdir", "cdk.out"));
        }
        App app = new App(props.build());
        define(app);
        CloudAssembly assembly = app.synth();
        int errors = 0;
        for (CloudFormationStackArtifact stack : assembly.getStacks()) {
            for (SynthesisMessage m : stack.getMessages()) {
                boolean error = m.getLevel() == SynthesisMessageLevel.ERROR;
                errors += error ? 1 : 0;
                System.err.println("[" + m.getLevel() + "] " + m.getId() + ": " + m.getEntry().getData());
            }
        }
        if (errors > 0) {
            System.err.println(errors + " error(s): synthesis refused");
            System.exit(1);
        }
        System.out.println("synthesized " + assembly.getStacks().stream().map(s -> s.getStackName()).toList()
                + " into " + assembly.getDirectory());
    }

    /**
     * Defines Quiver's stacks in {@code app} from its context; IllegalArgumentException naming the catalog field
     * or context key when the configuration cannot be deployed (a rollout CodeDeploy cannot express, say).
     */
    public static Stacks define(App app) {
        // S3 server access logs delivered under a bucket policy rather than the legacy log-delivery ACL, so the
        // log bucket can disable ACLs (BucketOwnerEnforced). Set before any stack exists, as context must be.
        app.getNode().setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        Settings settings = Settings.from(app.getNode());
        Catalog catalog = Catalog.read(settings.catalog());
        int index = governingIndex(catalog, settings);
        Catalog.Model model = catalog.models().get(index);
        String at = "models[" + index + "].";
        RolloutPolicy policy;
        try {
            policy = model.rollout() == null ? RolloutPolicy.of(RolloutPolicy.Strategy.CANARY)
                    : RolloutPolicy.fromMap(model.rollout(), at);
        } catch (QuiverException e) {
            throw new IllegalArgumentException(settings.catalog() + ": " + e.field() + ": " + e.reason(), e);
        }
        return define(app, settings, model, policy, at);
    }

    /** Defines the stacks with {@code policy} governing {@code model}'s functions' deployments. */
    public static Stacks define(App app, Settings settings, Catalog.Model model, RolloutPolicy policy, String at) {
        // Checked before any stack exists, so an unrenderable policy leaves nothing half-defined.
        RolloutDeployment.of(policy, settings.catalog().getFileName() + ": " + at);
        DataStack data = new DataStack(app, "QuiverData", settings, StackProps.builder()
                .description("Quiver: model and batch buckets, VPC and online store").build());
        FunctionsStack functions = new FunctionsStack(app, "QuiverFunctions", settings, data, model, policy,
                settings.catalog().getFileName() + ": " + at, StackProps.builder()
                .description("Quiver: functions on Lambda, HTTPS routes, queues, rules and rollouts").build());
        Tags.of(app).add("project", "quiver");
        if (settings.nag()) {
            // Findings become error and warning annotations, which fail `cdk synth`.
            Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        }
        return new Stacks(data, functions);
    }

    private static int governingIndex(Catalog catalog, Settings settings) {
        List<Catalog.Model> models = catalog.models();
        if (settings.rolloutModel() != null) {
            for (int i = 0; i < models.size(); i++) {
                if (models.get(i).name().equals(settings.rolloutModel())) {
                    return i;
                }
            }
            throw new IllegalArgumentException("quiver.rollout.model: no model '" + settings.rolloutModel() + "' in "
                    + settings.catalog());
        }
        int found = -1;
        for (int i = 0; i < models.size(); i++) {
            String target = models.get(i).target();
            if (target == null || target.equals("function")) {
                if (found >= 0) {
                    throw new IllegalArgumentException("quiver.rollout.model: " + settings.catalog() + " has several"
                            + " models served by the functions; name the one whose rollout policy governs them");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException("quiver.rollout.model: " + settings.catalog() + " has no model served"
                    + " by the functions");
        }
        return found;
    }
}
