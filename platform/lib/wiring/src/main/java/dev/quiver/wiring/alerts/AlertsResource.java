package dev.quiver.wiring.alerts;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /alerts}: the alerts this instance emitted lately and how their delivery went. */
@Path("/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private final Alerts alerts;

    public AlertsResource(Alerts alerts) {
        this.alerts = alerts;
    }

    @GET
    public Alerts.Recent recent() {
        return alerts.recent();
    }
}
