package dev.quiver.agent.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.agent.Action;
import dev.quiver.agent.Messages;
import dev.quiver.agent.inbox.Door;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.agent.function.AgentRounds;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import dev.quiver.error.Stages;
import dev.quiver.json.Json;
import dev.quiver.lambda.events.EventBridgeEvent;
import dev.quiver.lambda.events.SpansBeforeAnswer;
import io.quarkus.funqy.Funq;
import org.jboss.logging.Logger;

/**
 * The agent function's event door on Lambda (Funqy, {@code quarkus.funqy.export=agent-events}), for the team's
 * envelopes ({@code {"action", "recipient", ...}}, as {@code POST /<action>} takes them):
 * <ul>
 *   <li><b>an SQS batch</b>, one envelope per message body. Funqy's advanced event handling calls this function once
 *       per message; a message that is not a valid envelope is reported in {@code batchItemFailures} (enable
 *       {@code ReportBatchItemFailures}), so that it ends in the queue's dead-letter queue, and the others are kept.
 *       An envelope whose action fails is retried and dead-lettered by the inbox and answered {@code failed}, as on
 *       every door; a redelivered message id is answered as a duplicate and not acted on again. The answer is
 *       logged; what the agent asks of others goes out through its outbox as usual.</li>
 *   <li><b>an EventBridge event</b> whose {@code detail-type} is the envelope's action and whose detail is the
 *       envelope; the event's id names the message when the envelope has no {@code message_id}, so that a retried
 *       event is recognised. The answer is the invocation's result.</li>
 *   <li><b>a schedule</b> ({@code "detail-type": "Scheduled Event"}): delivers the outbox's due messages and looks at
 *       the rollouts that delivered models started. A Lambda instance is frozen between invocations, so the
 *       function's background timers do not run; the schedule does their work, with the outbox in Redis shared by
 *       every instance. The answer counts what was done.</li>
 * </ul>
 * After an envelope is answered the outbox's due messages are delivered too, so that what the answer asks of others
 * leaves within the invocation rather than at the next schedule.
 * A refused envelope names the field ({@code recipient}, {@code detail.action}).
 */
public class AgentEventsLambda {

    private static final Logger LOG = Logger.getLogger(AgentEventsLambda.class);

    private final Inbox inbox;
    private final AgentRounds rounds;

    public AgentEventsLambda(Inbox inbox, AgentRounds rounds) {
        this.inbox = inbox;
        this.rounds = rounds;
    }

    /** One event, or one SQS message's body: the agent's answer. */
    @SpansBeforeAnswer
    @Funq("agent-events")
    public ObjectNode agentEvents(JsonNode event) {
        if (EventBridgeEvent.is(event)) {
            if (EventBridgeEvent.SCHEDULED.equals(event.get("detail-type").asText())) {
                return rounds.tick();
            }
            return eventBridge(event);
        }
        Check.that(event != null && event.isObject() && !event.has("Records"), "body", "not a team envelope"
                + " {action, recipient, ...}: send each envelope as one SQS message or as an EventBridge event");
        return receive((ObjectNode) event);
    }

    private ObjectNode eventBridge(JsonNode json) {
        EventBridgeEvent event = Json.MAPPER.convertValue(json, EventBridgeEvent.class);
        Action action = Action.byWireName(event.detailType());
        if (action == null) {
            throw QuiverException.badInput("detail-type", "'" + event.detailType() + "' is not an action of the team's"
                    + " envelopes; send one of " + Action.wireNames());
        }
        Check.that(event.detail().isObject(), "detail", "must be the envelope, a JSON object");
        ObjectNode envelope = ((ObjectNode) event.detail()).deepCopy();
        JsonNode said = envelope.get("action");
        if (said == null) {
            envelope.put("action", action.wireName());
        } else {
            Check.that(said.asText().equals(action.wireName()), "detail.action", "is " + said.asText()
                    + ", but the event's detail-type is " + action.wireName());
        }
        if (!envelope.hasNonNull("message_id") && event.id() != null) {
            // EventBridge retries deliver the same event id: the ledger then knows the message
            envelope.put("message_id", event.id());
        }
        return receive(envelope);
    }

    private ObjectNode receive(ObjectNode envelope) {
        Inbox.Reply reply = Stages.join(inbox.receive(envelope, Door.SQS, null));
        ObjectNode answer = Messages.toTree(reply.answer());
        LOG.infof("%s %s answered %s%s", reply.received().action().wireName(), reply.received().header().messageId(),
                reply.answer().action().wireName(), reply.duplicate() ? " (a duplicate)" : "");
        rounds.deliverDue();
        return answer;
    }
}
