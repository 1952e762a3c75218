package dev.quiver.testing.quarkus;

import dev.quiver.testing.files.Repository;
import dev.quiver.testing.http.RecordingEndpoint;
import dev.quiver.testing.http.RecordingEndpoint.Request;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP endpoint on a free port that records every request it gets, standing in for a Knative broker or the
 * agent function; the function under test is configured ({@code quiver.team.sink-url}) to send every envelope for its
 * team there, addressed by the repository's {@code config/agents.yaml}. What it received stays in {@link #RECEIVED}
 * for the test class's life; a test that needs one kind picks it by {@code ce-type} ({@link #ofType}).
 */
public class CloudEventReceiver implements QuarkusTestResourceLifecycleManager {

    public static final List<Request> RECEIVED = new CopyOnWriteArrayList<>();
    private RecordingEndpoint endpoint;

    @Override
    public Map<String, String> start() {
        RECEIVED.clear();
        endpoint = RecordingEndpoint.start(202, RECEIVED);
        return Map.of("quiver.team.sink-url", endpoint.url() + "/events",
                "quiver.agents.directory", Repository.path("config/agents.yaml").toString());
    }

    /** What was received with this {@code ce-type}, oldest first. */
    public static List<Request> ofType(String type) {
        return RECEIVED.stream().filter(r -> type.equals(r.headers().get("ce-type"))).toList();
    }

    @Override
    public void stop() {
        endpoint.close();
    }
}
