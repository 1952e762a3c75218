package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import dev.quiver.testing.security.TestIdentityProvider;
import dev.quiver.testing.security.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The predict function behind an identity provider, with reads closed: JWTs checked against the provider's JWKS served
 * over HTTP, their roles from the {@code groups} claim, their subject in the audit log; anonymous callers get nothing
 * but the health probes.
 */
@QuarkusTest
@TestProfile(JwtAndClosedReadsTest.Profile.class)
class JwtAndClosedReadsTest {

    /** A provider only to sign with: its key is the fixture the function's provider serves. */
    private static final TestIdentityProvider SIGNER = new TestIdentityProvider();

    /** The identity provider the function fetches keys from, for the life of the profile. */
    public static class Provider implements QuarkusTestResourceLifecycleManager {
        private TestIdentityProvider idp;

        @Override
        public Map<String, String> start() {
            idp = new TestIdentityProvider();
            return idp.config();
        }

        @Override
        public void stop() {
            idp.close();
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quiver.security.open-reads", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TempModelStore.class), new TestResourceEntry(Provider.class));
        }
    }

    @AfterAll
    static void stopSigner() {
        SIGNER.close();
    }

    @Test
    void withReadsClosedAnAnonymousCallerGetsOnlyTheProbes() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/v2/health/live").then().statusCode(200);
        given().get("/registry/models").then().statusCode(401).body("reason", containsString("the invoke role"));
        given().get("/audit").then().statusCode(401).body("reason", containsString("the observe role"));
        given().contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer())).post("/predict").then()
                .statusCode(401);
        given().auth().oauth2(TestKeys.INVOKE).contentType(ContentType.JSON)
                .body(ChurnRows.request(ChurnRows.customer())).post("/predict").then().statusCode(200);
        given().auth().oauth2(TestKeys.INVOKE).get("/audit").then().statusCode(403);
    }

    @Test
    void aTokenOfTheProviderActsWithItsRolesUnderItsSubject() {
        String invoker = SIGNER.token("svc-scoring", List.of("invoke"));
        given().auth().oauth2(invoker).contentType(ContentType.JSON).body(ChurnRows.request(ChurnRows.customer()))
                .post("/predict").then().statusCode(200);
        given().auth().oauth2(invoker).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/registry/models/churn/aliases/jwt").then().statusCode(403)
                .body("reason", containsString("svc-scoring may not"));

        String deployer = SIGNER.token("alice@example.com", List.of("deploy", "observe"));
        given().auth().oauth2(deployer).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/registry/models/churn/aliases/jwt").then().statusCode(200);
        given().auth().oauth2(deployer).get("/audit?limit=1").then().statusCode(200)
                .body("[0].subject", equalTo("alice@example.com")).body("[0].via", equalTo("jwt"))
                .body("[0].action", equalTo("PUT /registry/models/churn/aliases/jwt"));
    }

    @Test
    void anExpiredOrForeignTokenIs401() {
        JwtClaims expired = new JwtClaims();
        expired.setIssuer(TestIdentityProvider.ISSUER);
        expired.setAudience(TestIdentityProvider.AUDIENCE);
        expired.setSubject("alice@example.com");
        expired.setExpirationTimeMinutesInTheFuture(-10);
        expired.setStringListClaim("groups", "deploy");
        given().auth().oauth2(SIGNER.sign(expired)).get("/registry/models").then().statusCode(401)
                .body("reason", containsString("expired"));

        JwtClaims foreign = new JwtClaims();
        foreign.setIssuer("https://elsewhere.example");
        foreign.setAudience(TestIdentityProvider.AUDIENCE);
        foreign.setSubject("mallory");
        foreign.setExpirationTimeMinutesInTheFuture(10);
        foreign.setStringListClaim("groups", "deploy");
        given().auth().oauth2(SIGNER.sign(foreign)).get("/registry/models").then().statusCode(401)
                .body("reason", containsString("not issued by"));
    }
}
