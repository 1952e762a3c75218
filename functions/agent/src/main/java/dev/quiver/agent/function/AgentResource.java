package dev.quiver.agent.function;

import dev.quiver.agent.inbox.DeadLetter;
import dev.quiver.agent.inbox.FeatureRequestBook;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.agent.journal.LoggedJournal;
import dev.quiver.agent.journal.Journal;
import dev.quiver.agent.journal.JournalEntry;
import dev.quiver.agent.outbox.Outbox;
import dev.quiver.agent.task.Task;
import dev.quiver.error.Check;
import dev.quiver.error.QuiverException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * What the agent did, over HTTP: the audit log of messages and actions with filters, the tasks of long work (read
 * and canceled), the open feature requests, the outbox and the dead letters.
 */
@Path("/agent")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    /** What waits to be sent and what was given up. */
    public record OutboxView(int pending, List<dev.quiver.agent.outbox.DeadLetter> deadLetters) {
    }

    private final Inbox inbox;
    private final LoggedJournal journal;
    private final Outbox outbox;
    private final DeadLetterLog deadLetters;

    public AgentResource(Inbox inbox, LoggedJournal journal, Outbox outbox, DeadLetterLog deadLetters) {
        this.inbox = inbox;
        this.journal = journal;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
    }

    /** The audit log, newest first, filtered by model, correlation id and action. */
    @GET
    @Path("/audit")
    public List<JournalEntry> audit(@QueryParam("model") String model, @QueryParam("correlation_id") String correlation,
                                    @QueryParam("action") String action,
                                    @QueryParam("limit") @DefaultValue("100") int limit) {
        Check.that(limit >= 1 && limit <= 10_000, "limit", "must be between 1 and 10000");
        return journal.list(new Journal.Filter(blankToNull(model), blankToNull(correlation), blankToNull(action)),
                limit);
    }

    @GET
    @Path("/tasks")
    public List<Task> tasks() {
        return inbox.tasks().list();
    }

    @GET
    @Path("/tasks/{id}")
    public Task task(@PathParam("id") String id) {
        return inbox.tasks().get(id).orElseThrow(() -> QuiverException.notFound("id", "no task " + id));
    }

    @POST
    @Path("/tasks/{id}/cancel")
    public Task cancel(@PathParam("id") String id) {
        return inbox.tasks().cancel(id);
    }

    @GET
    @Path("/feature-requests")
    public List<FeatureRequestBook.Open> featureRequests() {
        return inbox.featureRequests().list();
    }

    @GET
    @Path("/outbox")
    public OutboxView outbox() {
        return new OutboxView(outbox.pending(), outbox.deadLetters());
    }

    @GET
    @Path("/dead-letters")
    public List<DeadLetter> deadLetters(@QueryParam("limit") @DefaultValue("100") int limit) {
        Check.that(limit >= 1 && limit <= 1000, "limit", "must be between 1 and 1000");
        return deadLetters.recent(limit);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
