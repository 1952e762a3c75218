package dev.quiver.wiring.team;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /alerts}: the envelopes this instance sent its team lately (alerts, and apart from them the deployment
 * and feature requests) and how their delivery went.
 */
@Path("/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private final TeamSink team;

    public AlertsResource(TeamSink team) {
        this.team = team;
    }

    @GET
    public TeamSink.Recent recent() {
        return team.recent();
    }
}
