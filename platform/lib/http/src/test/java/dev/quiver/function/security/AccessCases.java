package dev.quiver.function.security;

import dev.quiver.testing.security.TestKeys;
import dev.quiver.testing.http.RawHttp;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route table's tests, which every function runs against itself (a {@code @QuarkusTest} that extends this): each
 * write route, taken from the table the function enforces, refuses a caller without a credential (401) and one
 * without the route's role (403) before its body is read, and lets the right role through to the door, which then
 * answers as it always did; a wrong media type is 415, CORS is off, and the README's table is this table.
 */
public abstract class AccessCases {

    /** The table the function under test enforces. */
    @Inject
    protected AccessRules rules;

    /** The function's name in the README's table. */
    protected abstract String function();

    /** The repository's README. */
    protected Path readme() {
        return Path.of(System.getProperty("repo.root", "../..")).resolve("README.md");
    }

    /** Values for the path's placeholders ({@code {model}} and the like) that reach the door. */
    protected Map<String, String> samples() {
        return Map.of("{model}", "churn", "{version}", "1", "{alias}", "access-test", "{action}", "pause");
    }

    /** Every rule that needs a role a caller must hold whatever the settings: the writes. */
    protected List<AccessRules.Rule> writeRules() {
        List<AccessRules.Rule> out = new ArrayList<>();
        for (AccessRules.Rule r : rules.rules()) {
            if ((r.role() == Role.WRITE || r.role() == Role.DEPLOY) && r.body() != AccessRules.Body.CLOUDEVENT) {
                out.add(r);
            }
        }
        return out;
    }

    /** The test profile's key with exactly {@code role}. */
    protected static String keyOf(Role role) {
        return switch (role) {
            case INVOKE -> TestKeys.INVOKE;
            case WRITE -> TestKeys.WRITE;
            case DEPLOY -> TestKeys.DEPLOY;
            case OBSERVE -> TestKeys.OBSERVE;
        };
    }

    /** A key of another single role than {@code role}: one that must be refused with 403 where {@code role} is due. */
    protected static String keyWithout(Role role) {
        return role == Role.INVOKE ? TestKeys.OBSERVE : TestKeys.INVOKE;
    }

    /** Calls the route of {@code r} with an empty body of its kind, presenting {@code key} (null: none). */
    protected Response call(AccessRules.Rule r, String key) {
        RequestSpecification req = given();
        if (key != null) {
            req = req.auth().oauth2(key);
        }
        req = switch (r.body()) {
            case JSON -> req.contentType(ContentType.JSON).body("{}");
            case MULTIPART -> req.multiPart("descriptor", "{}", "application/json");
            default -> req;
        };
        return req.request(r.method(), fill(r.path()));
    }

    @Test
    void thereAreWriteRoutesToTest() {
        assertThat(writeRules()).isNotEmpty();
    }

    @Test
    void everyWriteRouteWithoutACredentialIs401() {
        for (AccessRules.Rule r : writeRules()) {
            Response res = call(r, null);
            assertThat(res.statusCode()).as(r + ": " + res.asString()).isEqualTo(401);
            assertThat(res.header("WWW-Authenticate")).as(r.toString()).startsWith("Bearer");
            assertThat(res.jsonPath().getString("field")).isEqualTo("Authorization");
            assertThat(res.jsonPath().getString("reason")).contains("the " + r.role().id() + " role");
        }
    }

    @Test
    void everyWriteRouteWithAnotherRoleIs403() {
        for (AccessRules.Rule r : writeRules()) {
            Response res = call(r, keyWithout(r.role()));
            assertThat(res.statusCode()).as(r + ": " + res.asString()).isEqualTo(403);
            assertThat(res.jsonPath().getString("reason")).contains("needs the " + r.role().id() + " role");
        }
    }

    @Test
    void everyWriteRouteWithItsRoleReachesTheDoor() {
        for (AccessRules.Rule r : writeRules()) {
            Response res = call(r, keyOf(r.role()));
            // the door's own answer to an empty request: a 2xx, or a 4xx naming what is missing; never the guard's
            assertThat(res.statusCode()).as(r + ": " + res.asString()).isNotIn(401, 403, 415).isLessThan(500);
            if (res.statusCode() >= 400) {
                assertThat(res.jsonPath().getString("field")).as(r.toString()).isNotEqualTo("Authorization");
            }
        }
    }

    @Test
    void anUnknownKeyABasicLoginAndAnUnexpectedJwtAre401() {
        AccessRules.Rule r = writeRules().get(0);
        assertThat(call(r, "qk_not_a_key").statusCode()).isEqualTo(401);
        assertThat(call(r, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.").jsonPath().getString("reason"))
                .contains("JWTs are not accepted here");
        Response basic = given().header("Authorization", "Basic dXNlcjpwYXNz").request(r.method(), "/x");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(basic.jsonPath().getString("reason")).contains("bearer token");
    }

    @Test
    void aJsonRouteTakesJsonOnly() {
        for (AccessRules.Rule r : writeRules()) {
            if (r.body() != AccessRules.Body.JSON) {
                continue;
            }
            Response res = given().auth().oauth2(TestKeys.ALL).contentType("text/plain").body("{}")
                    .request(r.method(), fill(r.path()));
            assertThat(res.statusCode()).as(r + ": " + res.asString()).isEqualTo(415);
            assertThat(res.jsonPath().getString("field")).isEqualTo("Content-Type");
        }
    }

    @Test
    void aJsonBodyOverTheLimitIsRefusedBeforeItIsRead() {
        AccessRules.Rule r = writeRules().stream().filter(w -> w.body() == AccessRules.Body.JSON).findFirst()
                .orElseThrow();
        // the head says 1 GB and two bytes follow: the answer comes from the head alone
        RawHttp.Answer a = RawHttp.send(io.restassured.RestAssured.port, r.method() + " " + fill(r.path())
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestKeys.ALL
                + "\r\nContent-Type: application/json\r\nContent-Length: 1073741824", "{}", 5_000);
        assertThat(a.timedOut()).as(a.text()).isFalse();
        assertThat(a.status()).as(a.text()).isEqualTo(413);
        assertThat(a.body()).contains("1073741824 bytes");
    }

    @Test
    void corsIsOffUnlessConfigured() {
        AccessRules.Rule r = writeRules().get(0);
        Response preflight = given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", r.method()).options(fill(r.path()));
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(call(r, TestKeys.ALL).header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void theReadmeTableIsTheTableEnforced() {
        assertThat(RouteTableDoc.documented(readme(), function())).isEqualTo(RouteTableDoc.declared(rules));
    }

    private String fill(String pattern) {
        String path = pattern;
        for (Map.Entry<String, String> e : samples().entrySet()) {
            path = path.replace(e.getKey(), e.getValue());
        }
        return path;
    }
}
