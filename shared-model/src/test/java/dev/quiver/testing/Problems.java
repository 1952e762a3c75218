package dev.quiver.testing;

import dev.quiver.error.QuiverException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Asserts that a call fails with a {@link QuiverException} of a given kind about a given field. */
public final class Problems {

    private Problems() {
    }

    /** Runs {@code call}, asserts it failed with {@code kind} on {@code field}, and returns the exception. */
    public static QuiverException expect(QuiverException.Kind kind, String field, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(QuiverException.class);
        QuiverException e = (QuiverException) t;
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        assertThat(e.field()).as("field of: %s", e.getMessage()).isEqualTo(field);
        return e;
    }
}
