package dev.quiver.error;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The few helpers that let one asynchronous implementation serve a synchronous caller too, with the same
 * exceptions: a failed stage is seen by its caller as the {@link RuntimeException} it failed with, never wrapped.
 */
public final class Stages {

    private Stages() {
    }

    /**
     * The stage {@code call} returns, or a stage failed with what it threw: the checks a call makes before it
     * starts any work arrive the same way as the work's own failures.
     */
    public static <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A stage completed with what {@code call} returns, or failed with what it threw; {@code call} runs now. */
    public static <T> CompletionStage<T> now(Supplier<T> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Waits for {@code stage} and returns its value, or throws what it failed with ({@link #cause}). Meant for
     * stages that are complete already, or whose work runs elsewhere and is bounded by its own timeout.
     */
    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw cause(e);
        } catch (java.util.concurrent.CancellationException e) {
            throw QuiverException.unavailable("the call was cancelled");
        }
    }

    /**
     * What a stage failed with, unwrapped from the {@link CompletionException} or {@link ExecutionException} that
     * dependent stages add: a {@link RuntimeException} as it was thrown, an {@link Error} rethrown, anything else
     * (a checked exception) wrapped in an {@link IllegalStateException}.
     */
    public static RuntimeException cause(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** What a stage failed with, unwrapped from the {@link CompletionException}s and {@link ExecutionException}s around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
