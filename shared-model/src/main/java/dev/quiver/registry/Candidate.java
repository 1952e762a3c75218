package dev.quiver.registry;

import dev.quiver.inference.ServedModel;
import dev.quiver.model.ModelDescriptor;

import java.nio.file.Path;
import java.util.Set;

/**
 * A model version loaded, checked and warmed by {@link ModelRegistry#candidate}, but not registered: it serves no
 * request, no alias reaches it, and the store does not know it. Its {@link #served} model scores rows exactly as a
 * registered version's would, so it can be measured first.
 *
 * <p>{@link ModelRegistry#register(Candidate, byte[])} registers it (once); {@link #close} releases its session
 * and its staged files, unless the registry took the session over. Not thread-safe: one caller owns it.
 */
public final class Candidate implements AutoCloseable {

    private final ModelDescriptor sent;
    private final ServedModel served;
    private final Path staging;
    private final Set<String> uploaded;
    private boolean registered;
    private boolean sessionTaken;
    private boolean closed;

    Candidate(ModelDescriptor sent, ServedModel served, Path staging, Set<String> uploaded) {
        this.sent = sent;
        this.served = served;
        this.staging = staging;
        this.uploaded = Set.copyOf(uploaded);
    }

    /**
     * The descriptor it was loaded with: name, the version it would be registered as (the next, unless the sender
     * named one), sha256 and load time filled in.
     */
    public ModelDescriptor descriptor() {
        return served.descriptor();
    }

    /** The loaded model, to score rows with. */
    public ServedModel served() {
        return served;
    }

    /** The descriptor as sent, before the registry filled in its identity. */
    ModelDescriptor sent() {
        return sent;
    }

    Path staging() {
        if (closed || registered) {
            throw new IllegalStateException("candidate " + served.key() + " is "
                    + (closed ? "closed" : "already registered"));
        }
        return staging;
    }

    Set<String> uploaded() {
        return uploaded;
    }

    /** It is registered; {@code sessionTaken}: the registry serves its session now, and {@link #close} leaves it open. */
    void registered(boolean sessionTaken) {
        this.registered = true;
        this.sessionTaken = sessionTaken;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!sessionTaken) {
            served.model().close();
        }
        ModelRegistry.deleteQuietly(staging);
    }
}
