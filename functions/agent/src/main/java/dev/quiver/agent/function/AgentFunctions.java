package dev.quiver.agent.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.Action;
import dev.quiver.agent.Messages;
import dev.quiver.agent.inbox.Door;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.wiring.team.Traceparents;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The team's six messages as Funqy functions, one per action: {@code POST /<action>} with the envelope as is, or a
 * CloudEvent whose {@code ce-type} is the action, answered with a CloudEvent of the answer's action. Each hands the
 * message to the {@link Inbox} and returns its answer.
 */
@ApplicationScoped
public class AgentFunctions {

    /** The {@code ce-source} of the agent's answers. */
    static final String SOURCE = "/quiver/agent";

    /** The type of a Knative PingSource's tick (eventing/agent-schedule.yaml). */
    static final String PING = "dev.knative.sources.ping";

    private final Inbox inbox;
    private final AgentRounds rounds;

    public AgentFunctions(Inbox inbox, AgentRounds rounds) {
        this.inbox = inbox;
        this.rounds = rounds;
    }

    /**
     * A schedule's tick: delivers the outbox's due messages and watches rollouts, the work of the function's timers,
     * which an instance scaled to zero does not run. The tick's data (a PingSource's {@code {}}) says nothing.
     */
    @Funq("agent_tick")
    @CloudEventMapping(trigger = PING, responseType = "agent.ticked", responseSource = SOURCE)
    public ObjectNode tick(JsonNode data) {
        return rounds.tick();
    }

    @Funq("model_deployment_request")
    @CloudEventMapping(responseType = "acknowledgement", responseSource = SOURCE)
    public ObjectNode modelDeploymentRequest(ObjectNode message, @Context CloudEvent<?> event) {
        return receive(Action.MODEL_DEPLOYMENT_REQUEST, message, event);
    }

    @Funq("feature_store_request")
    @CloudEventMapping(responseType = "feature_availability", responseSource = SOURCE)
    public ObjectNode featureStoreRequest(ObjectNode message, @Context CloudEvent<?> event) {
        return receive(Action.FEATURE_STORE_REQUEST, message, event);
    }

    @Funq("model_issue_alert")
    @CloudEventMapping(responseType = "acknowledgement", responseSource = SOURCE)
    public ObjectNode modelIssueAlert(ObjectNode message, @Context CloudEvent<?> event) {
        return receive(Action.MODEL_ISSUE_ALERT, message, event);
    }

    @Funq("model_delivery")
    @CloudEventMapping(responseType = "acknowledgement", responseSource = SOURCE)
    public ObjectNode modelDelivery(ObjectNode message, @Context CloudEvent<?> event) {
        return receive(Action.MODEL_DELIVERY, message, event);
    }

    @Funq("feature_availability")
    @CloudEventMapping(responseType = "acknowledgement", responseSource = SOURCE)
    public ObjectNode featureAvailability(ObjectNode message, @Context CloudEvent<?> event) {
        return receive(Action.FEATURE_AVAILABILITY, message, event);
    }

    @Funq("acknowledgement")
    @CloudEventMapping(responseType = "acknowledgement", responseSource = SOURCE)
    public ObjectNode acknowledgement(ObjectNode message, @Context CloudEvent<?> event) {
        return receive(Action.ACKNOWLEDGEMENT, message, event);
    }

    private ObjectNode receive(Action action, ObjectNode message, CloudEvent<?> event) {
        Check.required(message, "body");
        JsonNode said = message.get("action");
        if (said != null && said.isTextual() && !said.asText().equals(action.wireName())
                && Action.byWireName(said.asText()) != null) {
            throw QuiverException.badInput("action", "is " + said.asText() + ", but this function takes "
                    + action.wireName() + ": send it to " + said.asText());
        }
        Door door = event == null ? Door.HTTP : Door.CLOUDEVENT;
        if (event != null && event.id() != null && !message.has("message_id")) {
            // the CloudEvent's id names the message, so a redelivered event is recognised as a duplicate
            message.put("message_id", event.id());
        }
        Inbox.Reply reply = Stages.join(inbox.receive(message, door, Traceparents.current().orElse(null)));
        return Messages.toTree(reply.answer());
    }
}
