package dev.quiver.agent.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A model's files as fetched from a store or decoded from a message.
 *
 * @param model            the model file's bytes
 * @param descriptor       its descriptor
 * @param referenceProfile its reference profile ({@code reference-profile.json} beside the model), or null
 */
public record Fetched(byte[] model, ObjectNode descriptor, byte[] referenceProfile) {
}
