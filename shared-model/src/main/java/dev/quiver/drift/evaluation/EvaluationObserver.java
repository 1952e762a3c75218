package dev.quiver.drift.evaluation;

import java.util.function.Supplier;

/**
 * Wraps each evaluation of a window ({@link DriftService#evaluate}, also each one of a sweep), so that an adapter can
 * trace it and record its scores and alerts without the core knowing how.
 *
 * <p>Contract: {@link #evaluate} calls {@code evaluation} exactly once, on the calling thread, and returns what it
 * gives, or lets what it throws through unchanged. What the observer records must be quick and must not throw.
 */
@FunctionalInterface
public interface EvaluationObserver {

    /** Observes nothing. */
    EvaluationObserver NONE = (model, version, evaluation) -> evaluation.get();

    DriftService.Evaluation evaluate(String model, String version, Supplier<DriftService.Evaluation> evaluation);
}
