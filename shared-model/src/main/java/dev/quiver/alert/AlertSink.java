package dev.quiver.alert;

import dev.quiver.agent.IssueAlert;

/**
 * The outbound channel alerts are emitted to. {@link #emit} must not throw: a channel that is down drops or
 * queues the alert and counts it, and the action that raised it (a rollback, say) has already happened.
 */
public interface AlertSink {

    AlertSink NONE = alert -> {
    };

    /** Who the alerts emitted here are for and from; {@link AlertAddress#DEFAULT} unless the channel says. */
    default AlertAddress address() {
        return AlertAddress.DEFAULT;
    }

    void emit(IssueAlert alert);
}
