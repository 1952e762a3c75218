package dev.quiver.alert;

/**
 * The outbound channel alerts are emitted to. {@link #emit} must not throw: a channel that is down drops or
 * queues the alert and counts it, and the action that raised it (a rollback, say) has already happened.
 */
public interface AlertSink {

    AlertSink NONE = alert -> {
    };

    void emit(ModelIssueAlert alert);
}
