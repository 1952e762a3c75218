package dev.quiver.drift.function;

import dev.quiver.drift.evaluation.DriftService;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection registrations for a native image: the drift service's answers are records of the core, a jar Quarkus
 * does not index, so it cannot walk them from the doors' return types; they are written to JSON by the REST door and
 * by the Lambda handler's own mapper, and registered here.
 */
@RegisterForReflection(
        targets = {
                DriftService.Window.class,
                DriftService.Report.class,
                DriftService.MeasuredPerformances.class,
                DriftService.EstimatedPerformances.class,
                DriftService.Evaluation.class,
                DriftService.Skipped.class,
                DriftService.Sweep.class
        })
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
