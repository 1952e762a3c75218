package dev.quiver.cdk;

import dev.quiver.registry.Catalog;
import dev.quiver.rollout.RolloutPolicy;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The app most test classes assert on, synthesized once per test JVM (jsii's start and a synthesis take
 * seconds): every function, predict on the JVM runtime and the rest native, JWT routes, cdk-nag applied.
 */
final class Synthesized {

    static final TestApps BUILDER = TestApps.quiver().context("quiver.runtime.predict", "jvm");
    static final App APP = BUILDER.app();
    static final QuiverApp.Stacks STACKS = QuiverApp.define(APP);
    static final Template DATA = Template.fromStack(STACKS.data());
    static final Template FUNCTIONS = Template.fromStack(STACKS.functions());
    /** The governing model and its policy, read back from the catalog the app read. */
    static final Catalog.Model MODEL = Catalog.read(BUILDER.catalog()).models().get(0);
    static final RolloutPolicy POLICY = RolloutPolicy.fromMap(MODEL.rollout(), "models[0].");

    private Synthesized() {
    }
}
