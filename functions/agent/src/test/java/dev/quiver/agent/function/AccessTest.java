package dev.quiver.agent.function;

import dev.quiver.function.security.AccessCases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;

/** Who may call what on the agent function: the shared cases of {@link AccessCases} over its table. */
@QuarkusTest
@QuarkusTestResource(value = Team.class, restrictToAnnotatedClass = true)
class AccessTest extends AccessCases {

    @Override
    protected String function() {
        return "agent";
    }

    @Override
    protected Map<String, String> samples() {
        return Map.of("{id}", "no-such-task");
    }
}
