package dev.quiver.agent.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.quiver.agent.Answer;

import java.time.Instant;
import java.util.Locale;

/**
 * Where a piece of long work stands.
 *
 * @param id            the task's id
 * @param messageId     the message that started it
 * @param correlationId the exchange it belongs to
 * @param action        the action of the message that started it
 * @param model         the model it is about
 * @param state         where it stands
 * @param createdAt     when it started
 * @param updatedAt     when its state last changed
 * @param answer        the final answer once it is completed, failed or rejected; null before
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Task(String id, String messageId, String correlationId, String action, String model, State state,
                   Instant createdAt, Instant updatedAt, Answer answer) {

    /** The states of A2A's task model that the agent's work goes through. */
    public enum State {
        SUBMITTED, WORKING, COMPLETED, FAILED, CANCELED, REJECTED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean finished() {
            return this != SUBMITTED && this != WORKING;
        }
    }

    Task moved(State to, Instant at, Answer answer) {
        return new Task(id, messageId, correlationId, action, model, to, createdAt, at, answer);
    }
}
