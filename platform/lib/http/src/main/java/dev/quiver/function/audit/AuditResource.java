package dev.quiver.function.audit;

import dev.quiver.audit.AuditLog;
import dev.quiver.audit.AuditRecord;
import dev.quiver.error.Check;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code GET /audit}: the writes and deployment actions this instance answered lately, newest first. */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    public List<AuditRecord> recent(@QueryParam("limit") @DefaultValue("100") int limit) {
        Check.that(limit >= 1 && limit <= 10_000, "limit", "must be between 1 and 10000");
        return log.recent(limit);
    }
}
