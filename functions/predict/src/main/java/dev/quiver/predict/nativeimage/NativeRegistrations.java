package dev.quiver.predict.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection registrations for DJL and ONNX Runtime in a native image.
 *
 * <p>Quarkus builds native images with GraalVM's own service-loader support switched off
 * ({@code -H:-UseServiceLoaderFeature}), so a {@link java.util.ServiceLoader} only finds a provider whose service
 * file is included as a resource and whose class can be built reflectively. DJL's {@code Engine} walks every
 * {@code ai.djl.engine.EngineProvider} listed on the class path when it first initializes; a listed provider
 * that cannot be instantiated fails the whole walk, so the RPC provider that DJL's api jar lists is registered
 * along with the ONNX Runtime one that is used.
 *
 * <p>A string tensor of rank 2 comes back from ONNX Runtime as {@code String[][]}, built through
 * {@code java.lang.reflect.Array.newInstance}, so that array type is registered too.
 *
 * <p>Rollouts are saved to and read from files by the core's own Jackson mapper, which Quarkus cannot see: their
 * records are registered here, and so are the {@code model_issue_alert} envelope the alert channel writes and the drift
 * profiles and prediction log that capture saves. A candidate's acceptance outcome goes out inside a {@code Response},
 * whose entity type Quarkus cannot see either. Jackson builds the deserializer that a request's rows name
 * ({@code @JsonDeserialize(contentUsing = ...)}) reflectively.
 *
 * <p>The rest lives elsewhere:
 * <ul>
 *   <li>what ONNX Runtime's JNI library builds from native code (tensors, sequences, maps, their infos, node
 *       infos, model metadata, {@code OrtException}): {@code META-INF/native-image/dev.quiver/predict/jni-config.json};
 *   <li>the native libraries, the service file and {@code ai/djl/engine/api.properties} as resources, and the
 *       classes that must initialize at run time: the {@code native} profile of this module's {@code pom.xml}.
 * </ul>
 */
@RegisterForReflection(
        targets = {
                ai.djl.onnxruntime.engine.OrtEngineProvider.class,
                ai.djl.engine.rpc.RpcEngineProvider.class,
                String[][].class,
                dev.quiver.rollout.Rollout.State.class,
                dev.quiver.rollout.Rollout.Tally.class,
                dev.quiver.rollout.Rollout.Status.class,
                dev.quiver.rollout.RolloutEvent.class,
                dev.quiver.rollout.RolloutPolicy.class,
                dev.quiver.rollout.RolloutPolicy.Strategy.class,
                dev.quiver.rollout.RolloutPolicy.Gates.class,
                dev.quiver.rollout.RolloutPolicy.AbDesign.class,
                dev.quiver.rollout.ArmWindow.Snapshot.class,
                dev.quiver.rollout.ShadowAgreement.Snapshot.class,
                dev.quiver.rollout.AbExperiment.Counts.class,
                dev.quiver.rollout.AbExperiment.Report.class,
                dev.quiver.rollout.Rollouts.View.class,
                dev.quiver.rollout.Rollouts.ArmStats.class,
                dev.quiver.rollout.Rollouts.Agreement.class,
                dev.quiver.agent.IssueAlert.class,
                dev.quiver.prediction.NamedRowDeserializer.class,
                dev.quiver.agent.IssueAlert.Issue.class,
                dev.quiver.agent.Header.class,
                dev.quiver.agent.Severity.class,
                dev.quiver.agent.Action.class,
                dev.quiver.drift.capture.Profile.Saved.class,
                dev.quiver.drift.capture.Profile.Moments.class,
                dev.quiver.drift.capture.LoggedPrediction.class,
                dev.quiver.prediction.acceptance.CandidateAcceptance.Outcome.class,
                dev.quiver.prediction.acceptance.AcceptanceReport.Measured.class,
                dev.quiver.prediction.acceptance.AcceptanceReport.Decision.class,
                dev.quiver.prediction.acceptance.Requirement.class
        })
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
