package dev.quiver.function.security;

import dev.quiver.error.QuiverException;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks JWTs from one identity provider with jose4j: the signature against the provider's JWKS (fetched when a key
 * id is first seen, and again when the provider rotates its keys), the issuer, the audience, expiry and not-before
 * with the configured skew, and an asymmetric algorithm (never {@code none}, never a shared secret). The caller's
 * roles come from a claim ({@link SecurityConfig.Jwt#rolesClaim}).
 *
 * <p>A token that passed is remembered until it expires, so a client that sends the same token with every call pays
 * for the signature once. {@link #verify} may fetch keys over the network: call it off the event loop unless
 * {@link #remembered} answered.
 */
final class JwtVerifier {

    /** The most tokens remembered at once; beyond that the memory starts afresh. */
    private static final int REMEMBERED = 10_000;
    /**
     * A token signed with a key id the function has not seen makes it fetch the issuer's keys again (the issuer has
     * rotated them), but not more often than this, so that tokens with made-up key ids cannot make it hammer the issuer.
     */
    static final Duration REFETCH_FLOOR = Duration.ofSeconds(5);

    private final JwtConsumer consumer;
    private final HttpsJwks jwks;
    private final String issuer;
    private final String[] rolesPath;
    private final String rolePrefix;
    private final String subjectClaim;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Caller caller, long expiresAtMillis) {
    }

    JwtVerifier(SecurityConfig.Jwt config) {
        this(config, REFETCH_FLOOR);
    }

    JwtVerifier(SecurityConfig.Jwt config, Duration refetchFloor) {
        this.issuer = config.issuer().orElseThrow();
        String url = config.jwksUrl().orElseThrow(() -> new IllegalArgumentException(
                "quiver.security.jwt.jwks-url: required with quiver.security.jwt.issuer (the provider's JWKS document)"));
        this.jwks = new HttpsJwks(url);
        jwks.setRefreshReprieveThreshold(refetchFloor.toMillis());
        JwtConsumerBuilder b = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                .setExpectedIssuer(issuer)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                        AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                        AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512, AlgorithmIdentifiers.EDDSA);
        if (config.audience().isPresent() && !config.audience().get().isEmpty()) {
            b.setExpectedAudience(config.audience().get().toArray(String[]::new));
        } else {
            b.setSkipDefaultAudienceValidation();
        }
        this.consumer = b.build();
        this.rolesPath = config.rolesClaim().split("\\.");
        this.rolePrefix = config.rolePrefix().orElse("");
        this.subjectClaim = config.subjectClaim();
    }

    /** The issuer whose tokens this accepts. */
    String issuer() {
        return issuer;
    }

    /** Fetches the provider's keys now, so that the first caller does not wait for them; false when that failed. */
    boolean prefetch() {
        try {
            jwks.refresh();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The caller of a token that passed before and has not expired; null when it has to be checked. */
    Caller remembered(String token) {
        Remembered r = remembered.get(token);
        if (r == null) {
            return null;
        }
        if (System.currentTimeMillis() >= r.expiresAtMillis()) {
            remembered.remove(token);
            return null;
        }
        return r.caller();
    }

    /**
     * The caller a token names.
     *
     * @throws QuiverException UNAUTHENTICATED, saying why (expired, another issuer or audience, a bad signature)
     *                         without echoing the token
     */
    Caller verify(String token) {
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            throw QuiverException.unauthenticated("Authorization", reason(e));
        }
        try {
            String subject = claims.getClaimValueAsString(subjectClaim);
            if (subject == null || subject.isBlank()) {
                throw QuiverException.unauthenticated("Authorization", "the token names no caller (claim "
                        + subjectClaim + ")");
            }
            Caller caller = new Caller(subject, roles(claims.getClaimsMap()), "jwt");
            if (remembered.size() >= REMEMBERED) {
                remembered.clear();
            }
            remembered.put(token, new Remembered(caller, claims.getExpirationTime().getValueInMillis()));
            return caller;
        } catch (org.jose4j.jwt.MalformedClaimException e) {
            throw QuiverException.unauthenticated("Authorization", "the token's claims are malformed");
        }
    }

    private Set<Role> roles(Map<String, Object> claims) {
        Object v = claims;
        for (String part : rolesPath) {
            v = v instanceof Map<?, ?> m ? m.get(part) : null;
        }
        Collection<?> values = v instanceof Collection<?> c ? c
                : v instanceof String s ? List.of(s.split("\\s+")) : List.of();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object o : values) {
            if (o instanceof String s && s.startsWith(rolePrefix)) {
                String id = s.substring(rolePrefix.length());
                for (Role r : Role.values()) {
                    if (r.id().equals(id)) {
                        roles.add(r);
                    }
                }
            }
        }
        return roles;
    }

    private String reason(InvalidJwtException e) {
        List<String> why = new ArrayList<>();
        if (e.hasExpired()) {
            why.add("the token has expired");
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            why.add("the token is not issued by " + issuer);
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            why.add("the token is not meant for this function (aud)");
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            why.add("the token's signature does not verify against the issuer's keys");
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof org.jose4j.lang.UnresolvableKeyException) {
                why.add("the token is signed with a key the issuer does not publish");
                break;
            }
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            why.add("the token has no expiry (exp)");
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            why.add("the token is not valid yet");
        }
        return why.isEmpty() ? "not a valid token" : String.join("; ", why);
    }
}
