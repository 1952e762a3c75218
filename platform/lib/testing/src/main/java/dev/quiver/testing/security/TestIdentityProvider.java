package dev.quiver.testing.security;

import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An identity provider for tests: its JWKS served over HTTP on loopback, and tokens signed with its key, as Keycloak,
 * Cognito or Auth0 sign them (RS256, a key id). The key pair is a test fixture ({@code security/test-idp-key.json},
 * made with jose4j's {@code RsaJwkGenerator}), so that a test and the function under test, in different class loaders,
 * agree on it without sharing state.
 */
public final class TestIdentityProvider implements AutoCloseable {

    public static final String ISSUER = "https://idp.quiver.test/realms/ml";
    public static final String AUDIENCE = "quiver";

    private final RsaJsonWebKey key;
    private final HttpServer server;

    public TestIdentityProvider() {
        try (InputStream in = TestIdentityProvider.class.getResourceAsStream("/security/test-idp-key.json")) {
            key = (RsaJsonWebKey) JsonWebKey.Factory.newJwk(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            byte[] jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                    .getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/certs", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the provider publishes its keys. */
    public String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
    }

    /** The settings that make a function accept this provider's tokens. */
    public Map<String, String> config() {
        return Map.of("quiver.security.jwt.issuer", ISSUER, "quiver.security.jwt.jwks-url", jwksUrl(),
                "quiver.security.jwt.audience", AUDIENCE);
    }

    /** A token for {@code subject} holding {@code roles} in its {@code groups} claim, valid for ten minutes. */
    public String token(String subject, List<String> roles) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setAudience(AUDIENCE);
        c.setSubject(subject);
        c.setExpirationTimeMinutesInTheFuture(10);
        c.setIssuedAtToNow();
        c.setStringListClaim("groups", roles);
        return sign(c);
    }

    /** {@code claims} signed with the provider's key. */
    public String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
