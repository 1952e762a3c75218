package dev.quiver.function.security;

import com.sun.net.httpserver.HttpServer;
import dev.quiver.error.QuiverException;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JwtVerifier} against an identity provider's JWKS served over HTTP on loopback, with tokens signed as an
 * identity provider signs them (RS256, a key id), and the ways a token can be wrong.
 */
class JwtVerifierTest {

    private static final String ISSUER = "https://idp.example/realms/ml";

    private static HttpServer idp;
    private static final AtomicReference<String> jwks = new AtomicReference<>();
    private static RsaJsonWebKey signing;

    /** The settings of {@link SecurityConfig.Jwt}, as a test writes them. */
    record Settings(Optional<String> issuer, Optional<String> jwksUrl, Optional<List<String>> audience,
                    String rolesClaim, Optional<String> rolePrefix, String subjectClaim, Duration clockSkew)
            implements SecurityConfig.Jwt {
    }

    @BeforeAll
    static void startIdentityProvider() throws Exception {
        signing = key("k1");
        jwks.set(new JsonWebKeySet(signing).toJson());
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/certs", exchange -> {
            byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
    }

    @AfterAll
    static void stop() {
        idp.stop(0);
    }

    private static RsaJsonWebKey key(String id) throws Exception {
        RsaJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
        k.setKeyId(id);
        k.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        return k;
    }

    private static Settings settings(Optional<List<String>> audience, String rolesClaim, String prefix) {
        return new Settings(Optional.of(ISSUER), Optional.of("http://127.0.0.1:" + idp.getAddress().getPort() + "/certs"),
                audience, rolesClaim, Optional.ofNullable(prefix), "sub", Duration.ofSeconds(30));
    }

    private static JwtVerifier verifier() {
        return new JwtVerifier(settings(Optional.of(List.of("quiver")), "groups", null));
    }

    private static JwtClaims claims(Consumer<JwtClaims> change) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setAudience("quiver");
        c.setSubject("alice");
        c.setExpirationTimeMinutesInTheFuture(10);
        c.setIssuedAtToNow();
        c.setStringListClaim("groups", "deploy", "observe", "payroll-admins");
        change.accept(c);
        return c;
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    @Test
    void aTokenOfTheIssuerNamesItsSubjectAndTheRolesItHolds() throws Exception {
        Caller c = verifier().verify(sign(claims(x -> { }), signing));
        assertThat(c.subject()).isEqualTo("alice");
        assertThat(c.roles()).as("groups that are no role are ignored").containsExactlyInAnyOrder(Role.DEPLOY, Role.OBSERVE);
        assertThat(c.via()).isEqualTo("jwt");
    }

    @Test
    void rolesCanSitDeeperOrInAScopeStringWithAPrefix() throws Exception {
        JwtVerifier nested = new JwtVerifier(settings(Optional.empty(), "realm_access.roles", null));
        Caller a = nested.verify(sign(claims(x -> x.setClaim("realm_access", Map.of("roles", List.of("write")))),
                signing));
        assertThat(a.roles()).containsExactly(Role.WRITE);

        JwtVerifier scoped = new JwtVerifier(settings(Optional.empty(), "scope", "quiver/"));
        Caller b = scoped.verify(sign(claims(x -> x.setClaim("scope", "openid quiver/invoke quiver/write deploy")),
                signing));
        assertThat(b.roles()).as("only prefixed values count").containsExactlyInAnyOrder(Role.INVOKE, Role.WRITE);
    }

    @Test
    void aTokenPassedOnceIsRememberedUntilItExpires() throws Exception {
        JwtVerifier v = verifier();
        String token = sign(claims(x -> { }), signing);
        assertThat(v.remembered(token)).isNull();
        v.verify(token);
        assertThat(v.remembered(token).subject()).isEqualTo("alice");

        String brief = sign(claims(x -> x.setExpirationTime(NumericDate.fromMilliseconds(
                System.currentTimeMillis() + 1_500))), signing);
        v.verify(brief);
        assertThat(v.remembered(brief)).isNotNull();
        Thread.sleep(1_600);
        assertThat(v.remembered(brief)).as("not after its expiry").isNull();
    }

    @Test
    void wrongTokensAreRefusedSayingWhy() throws Exception {
        JwtVerifier v = verifier();
        assertRefused(v, sign(claims(x -> x.setExpirationTimeMinutesInTheFuture(-5)), signing), "expired");
        assertRefused(v, sign(claims(x -> x.setIssuer("https://evil.example")), signing), "not issued by " + ISSUER);
        assertRefused(v, sign(claims(x -> x.setAudience("another-service")), signing), "not meant for this function");
        assertRefused(v, sign(claims(x -> x.setExpirationTime(null)), signing), "no expiry");
        assertRefused(v, sign(claims(x -> x.setSubject(null)), signing), "names no caller");
        assertRefused(v, "abc.def.ghi", "not a valid token");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        RsaJsonWebKey impostor = key("k1");
        assertRefused(verifier(), sign(claims(x -> { }), impostor), "signature does not verify");
    }

    @Test
    void unsignedAndSharedSecretTokensAreRefused() throws Exception {
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims(x -> { }).toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        assertRefused(verifier(), none.getCompactSerialization(), "");

        // the public key used as an HMAC secret: the classic confusion of algorithms
        JsonWebSignature hs = new JsonWebSignature();
        hs.setPayload(claims(x -> { }).toJson());
        hs.setKeyIdHeaderValue("k1");
        hs.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hs.setKey(new HmacKey(signing.getPublicKey().getEncoded()));
        hs.setDoKeyValidation(false);
        assertRefused(verifier(), hs.getCompactSerialization(), "");
    }

    @Test
    void keysTheProviderRotatesInAreFetched() throws Exception {
        JwtVerifier v = new JwtVerifier(settings(Optional.of(List.of("quiver")), "groups", null), Duration.ofMillis(200));
        v.verify(sign(claims(x -> { }), signing));
        Thread.sleep(300);
        RsaJsonWebKey next = key("k2");
        jwks.set(new JsonWebKeySet(signing, next).toJson());
        try {
            assertThat(v.verify(sign(claims(x -> x.setSubject("bob")), next)).subject()).isEqualTo("bob");
            RsaJsonWebKey unknown = key("k3");
            assertRefused(v, sign(claims(x -> { }), unknown), "a key the issuer does not publish");
        } finally {
            jwks.set(new JsonWebKeySet(signing).toJson());
        }
    }

    private static void assertRefused(JwtVerifier v, String token, String why) {
        assertThatThrownBy(() -> v.verify(token)).isInstanceOfSatisfying(QuiverException.class, e -> {
            assertThat(e.kind()).isEqualTo(QuiverException.Kind.UNAUTHENTICATED);
            assertThat(e.field()).isEqualTo("Authorization");
            assertThat(e.reason()).contains(why).doesNotContain(token);
        });
    }
}
