package dev.quiver.agent.function.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.agent.directory.AgentDirectory;
import io.a2a.spec.AgentCapabilities;
import io.a2a.spec.AgentCard;
import io.a2a.spec.AgentSkill;
import io.a2a.spec.HTTPAuthSecurityScheme;
import io.a2a.util.Utils;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's A2A agent card: name and description from the agent directory's {@code self}, one skill per action
 * other agents ask of it (model_deployment_request, feature_store_request, model_issue_alert) with the team's envelope
 * as its example, JSON in and out, JSON-RPC at the endpoint {@link A2aConfig#url()} names, no streaming, and a bearer
 * token required. Built once per endpoint URL.
 */
@ApplicationScoped
public class AgentCards {

    /** The path of the A2A endpoint below the function's base URL. */
    public static final String ENDPOINT = "a2a";

    static final String DEPLOYMENT_REQUEST = """
            {"action": "model_deployment_request", "recipient": "data_scientist_id", \
            "request": {"model_id": "churn_prediction_v2", \
            "requirements": {"latency": "< 100ms", "throughput": "1000 req/s", "format": "ONNX or TensorRT"}}}""";
    static final String FEATURE_REQUEST = """
            {"action": "feature_store_request", "recipient": "data_engineer_id", \
            "request": {"features": ["user_age", "purchase_history", "last_login"], \
            "latency_requirement": "real-time", "update_frequency": "hourly"}}""";
    static final String ISSUE_ALERT = """
            {"action": "model_issue_alert", "recipient": "project_manager_id", \
            "issue": {"severity": "high", "model_id": "churn_prediction_v2", \
            "issue": "Model accuracy dropped from 0.89 to 0.82", \
            "detected_at": "2024-03-15T10:30:00Z", "action": "Investigating data drift"}}""";

    private static final List<String> JSON = List.of("application/json");

    private final AgentDirectory.Self self;
    private final String configured;
    private final String version;
    private final Map<String, String> cards = new ConcurrentHashMap<>();

    public AgentCards(AgentDirectory team, A2aConfig config,
                      @ConfigProperty(name = "quarkus.application.version", defaultValue = "0") String version) {
        this.self = team.self();
        this.configured = config.url().orElse(self.url());
        this.version = version;
    }

    /** The card as JSON, for a request that reached the function at {@code base} (its base URI, ending with '/'). */
    public String json(URI base) {
        String url = configured != null ? configured : base.resolve(ENDPOINT).toString();
        return cards.computeIfAbsent(url, u -> {
            try {
                return Utils.OBJECT_MAPPER.writeValueAsString(card(u));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the agent card", e);
            }
        });
    }

    /** The card with the endpoint {@code url}. */
    AgentCard card(String url) {
        return new AgentCard.Builder().name(self.name() != null ? self.name() : self.id())
                .description(self.description() != null ? self.description() : "Quiver, the team's ML engineer")
                .url(url).version(version).preferredTransport("JSONRPC")
                .capabilities(new AgentCapabilities.Builder().streaming(false).pushNotifications(false)
                        .stateTransitionHistory(false).build())
                .defaultInputModes(JSON).defaultOutputModes(JSON)
                .securitySchemes(Map.of("bearer", new HTTPAuthSecurityScheme.Builder().scheme("bearer")
                        .description("a Quiver API key or an OIDC access token with the deploy role").build()))
                .security(List.of(Map.of("bearer", List.of())))
                .skills(List.of(
                        skill("model_deployment_request", "Deploy a model",
                                "Takes a model to serve, or asks the data scientist for one: a model_deployment_request"
                                        + " envelope in a data part. A model it carries (request.model) is fetched"
                                        + " from an allowed store, digest-checked, benchmarked and rolled out as the"
                                        + " challenger, as a task; otherwise the answer is an acknowledgement.",
                                DEPLOYMENT_REQUEST, "deployment"),
                        skill("feature_store_request", "Check features",
                                "Checks features against the online store: a feature_store_request envelope in a data"
                                        + " part, answered with a feature_availability envelope, feature by feature.",
                                FEATURE_REQUEST, "features"),
                        skill("model_issue_alert", "Act on a model issue",
                                "Acts on an alert about a served model (a rollout in trouble is rolled back) and"
                                        + " records it: a model_issue_alert envelope in a data part, answered with an"
                                        + " acknowledgement.", ISSUE_ALERT, "incident")))
                .build();
    }

    private static AgentSkill skill(String id, String name, String description, String example, String tag) {
        return new AgentSkill.Builder().id(id).name(name).description(description).tags(List.of("mlops", tag))
                .examples(List.of(example)).inputModes(JSON).outputModes(JSON).build();
    }
}
