package dev.quiver.agent.function.a2a;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * The A2A door over HTTP: {@code POST /a2a} takes A2A JSON-RPC requests ({@link A2aServer}) and answers each with HTTP
 * 200 and its JSON-RPC response, errors included, as A2A clients expect; {@code GET /.well-known/agent-card.json}
 * serves the agent card ({@link AgentCards}).
 */
@Path("/")
public class A2aDoor {

    private final A2aServer server;
    private final AgentCards cards;

    public A2aDoor(A2aServer server, AgentCards cards) {
        this.server = server;
        this.cards = cards;
    }

    @POST
    @Path(AgentCards.ENDPOINT)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public String call(byte[] body) {
        return server.handle(body);
    }

    @GET
    @Path(".well-known/agent-card.json")
    @Produces(MediaType.APPLICATION_JSON)
    public String card(@Context UriInfo uri) {
        return cards.json(uri.getBaseUri());
    }
}
