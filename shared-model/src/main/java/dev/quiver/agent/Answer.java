package dev.quiver.agent;

/**
 * An answer to an envelope: a model delivery, a feature availability, an acknowledgement. Every answer names
 * the message it answers ({@link #inReplyTo}) and carries the exchange's {@link Header#correlationId()}: the
 * correlation id of the message answered, or that message's id when it had none.
 */
public sealed interface Answer extends Message permits ModelDelivery, FeatureAvailability, Acknowledgement {

    /** The {@code message_id} of the message answered; never null. */
    String inReplyTo();
}
