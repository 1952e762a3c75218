package dev.quiver.agent;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/** What a message is, as its {@code action} field names it. */
public enum Action {
    /** Quiver asks a data scientist for a model meeting requirements; answered by {@link #MODEL_DELIVERY}. */
    MODEL_DEPLOYMENT_REQUEST("model_deployment_request"),
    /** Quiver asks a data engineer for features; answered by {@link #FEATURE_AVAILABILITY}. */
    FEATURE_STORE_REQUEST("feature_store_request"),
    /** Quiver tells a project manager about a model incident; answered by {@link #ACKNOWLEDGEMENT}. */
    MODEL_ISSUE_ALERT("model_issue_alert"),
    /** A data scientist's answer: the model artifact. */
    MODEL_DELIVERY("model_delivery"),
    /** A data engineer's answer: which features are available. */
    FEATURE_AVAILABILITY("feature_availability"),
    /** An answer saying what was done about a message. */
    ACKNOWLEDGEMENT("acknowledgement");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the {@code action} field. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether messages of this action answer another message (and so carry {@code in_reply_to}). */
    public boolean isAnswer() {
        return ordinal() >= MODEL_DELIVERY.ordinal();
    }

    /** The action whose wire name is {@code name}, exactly (case matters), or null. */
    public static Action byWireName(String name) {
        for (Action a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** All wire names, in declaration order. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Action::wireName).toList();
    }
}
