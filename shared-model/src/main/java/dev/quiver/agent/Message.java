package dev.quiver.agent;

/**
 * Any message of the team's protocol: one of the three {@link Envelope envelopes} or one of the three
 * {@link Answer answers}. Instances are immutable values; {@link Messages#parse(String)} only returns ones that
 * pass every check, and {@link Messages#check} applies the same checks to one built in code.
 */
public sealed interface Message permits Envelope, Answer {

    /** What this message is; it fixes the record type. */
    Action action();

    /** The recipient, sender, ids and time sent; never null. */
    Header header();
}
