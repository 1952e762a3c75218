package dev.quiver.agent.delivery;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * The port that reads a delivered model from a store by its URI, with the descriptor (when the message has none)
 * and the reference profile the store keeps beside it ({@code descriptor.json}, {@code reference-profile.json}).
 * Called only with a URI that {@link DeliveryIntake} has checked against the allowed stores. The stage fails with
 * BAD_INPUT naming {@code artifact.uri} for a file that is not there, and with UNAVAILABLE when the store cannot be
 * reached.
 */
public interface ArtifactStores {

    CompletionStage<Fetched> fetch(URI model, boolean needsDescriptor);
}
