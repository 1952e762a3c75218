package dev.quiver.agent.function;

/** The team's three envelopes as the team writes them, and a trace context, for the tests of every door. */
public final class TeamEnvelopes {

    public static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    public static final String DEPLOYMENT_REQUEST = """
            {"action": "model_deployment_request", "recipient": "data_scientist_id",
             "request": {"model_id": "churn_prediction_v2",
                         "requirements": {"latency": "< 100ms", "throughput": "1000 req/s", "format": "ONNX or TensorRT"}}}""";
    public static final String FEATURE_REQUEST = """
            {"action": "feature_store_request", "recipient": "data_engineer_id",
             "request": {"features": ["user_age", "purchase_history", "last_login"],
                         "latency_requirement": "real-time", "update_frequency": "hourly"}}""";
    public static final String ISSUE_ALERT = """
            {"action": "model_issue_alert", "recipient": "project_manager_id",
             "issue": {"severity": "high", "model_id": "churn_prediction_v2",
                       "issue": "Model accuracy dropped from 0.89 to 0.82",
                       "detected_at": "2024-03-15T10:30:00Z", "action": "Investigating data drift"}}""";
    /** The team's alert about the test catalog's model, churn. */
    public static final String ALERT_ON_CHURN = ISSUE_ALERT.replace("churn_prediction_v2", "churn");

    private TeamEnvelopes() {
    }

    /** {@code envelope} with {@code id} as its message id. */
    public static String withId(String envelope, String id) {
        return envelope.replaceFirst("\\{", "{\"message_id\": \"" + id + "\", ");
    }
}
