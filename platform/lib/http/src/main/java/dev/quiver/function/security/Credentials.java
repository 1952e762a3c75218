package dev.quiver.function.security;

import dev.quiver.error.QuiverException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The credentials this function accepts, read at start from {@link SecurityConfig}: API keys from configuration and
 * from a key file, the local key on embedded defaults, and JWTs of one issuer. Each arrives as a bearer token
 * ({@code Authorization: Bearer <token>}); a token with two dots is a JWT, anything else an API key. Made at start, so
 * that a wrong setting stops the function with the key named, and the local key is printed before the first request.
 */
@Singleton
@Startup
public class Credentials {

    private static final Logger LOG = Logger.getLogger(Credentials.class);
    private static final String BEARER = "bearer ";

    private final ApiKeys keys = new ApiKeys();
    private final JwtVerifier jwt;

    public Credentials(SecurityConfig config) {
        config.apiKeys().forEach((name, key) -> keys.add(name, key.sha256(),
                roles(key.roles(), "quiver.security.api-keys." + name + ".roles"), "quiver.security.api-keys." + name));
        config.apiKeysFile().filter(f -> !f.isBlank()).ifPresent(f -> readKeyFile(Path.of(f)));
        this.jwt = config.jwt().issuer().filter(i -> !i.isBlank()).isPresent() ? new JwtVerifier(config.jwt()) : null;
        boolean local = config.localKey().enabled().orElse(keys.isEmpty() && jwt == null);
        if (local) {
            Path file = Path.of(config.localKey().path());
            LocalKey.Loaded k = LocalKey.readOrMake(file);
            keys.add("local", ApiKeys.sha256(k.key()), EnumSet.allOf(Role.class), config.localKey().path());
            LOG.infof("%s the local key with every role (invoke, write, deploy, observe) in %s, readable by you only."
                    + " Writes need it: export QUIVER_KEY=$(cat %s), then curl -H \"Authorization: Bearer $QUIVER_KEY\" ...",
                    k.made() ? "Made" : "Using", file.toAbsolutePath(), config.localKey().path());
        }
        if (keys.isEmpty() && jwt == null) {
            LOG.warn("no credential is configured (quiver.security.api-keys, .api-keys-file, .jwt.issuer): every write"
                    + " is refused with 401");
        }
        if (jwt != null) {
            LOG.infof("accepting JWTs of %s", jwt.issuer());
        }
    }

    /**
     * The caller an {@code Authorization} header names: anonymous without one, else the key's or token's caller. A
     * JWT not seen before is checked on a worker thread, since its issuer's keys may have to be fetched.
     *
     * @return a future that fails with UNAUTHENTICATED for a header that is not a bearer token, an unknown key or a
     * token that does not verify
     */
    public Future<Caller> identify(String authorization, Vertx vertx) {
        if (authorization == null) {
            return Future.succeededFuture(Caller.ANONYMOUS);
        }
        if (authorization.length() <= BEARER.length() || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Future.failedFuture(QuiverException.unauthenticated("Authorization",
                    "send the credential as a bearer token: Authorization: Bearer <key or token>"));
        }
        String token = authorization.substring(BEARER.length()).trim();
        if (isJwt(token)) {
            if (jwt == null) {
                return Future.failedFuture(QuiverException.unauthenticated("Authorization",
                        "JWTs are not accepted here (no issuer is configured: quiver.security.jwt.issuer)"));
            }
            Caller known = jwt.remembered(token);
            return known != null ? Future.succeededFuture(known) : vertx.executeBlocking(() -> jwt.verify(token), false);
        }
        Caller c = keys.find(token);
        return c != null ? Future.succeededFuture(c)
                : Future.failedFuture(QuiverException.unauthenticated("Authorization", "not a key this function knows"));
    }

    /** Fetches the JWT issuer's keys, if one is configured; false when that failed. */
    public boolean prefetchIssuerKeys() {
        return jwt == null || jwt.prefetch();
    }

    /** A compact JWS: three parts separated by two dots. API keys have no dot. */
    private static boolean isJwt(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        return second > 0 && token.indexOf('.', second + 1) < 0;
    }

    private void readKeyFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("quiver.security.api-keys-file: cannot read " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "quiver.security.api-keys-file " + file + " line " + (i + 1);
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new IllegalArgumentException(where + ": expected '<name> <roles> <sha256>'");
            }
            keys.add(parts[0], parts[2], roles(List.of(parts[1].split(",")), where), where);
        }
    }

    private static Set<Role> roles(List<String> ids, String where) {
        try {
            Set<Role> roles = Role.parseAll(ids, where);
            if (roles.isEmpty()) {
                throw new IllegalArgumentException(where + ": a key needs at least one role");
            }
            return roles;
        } catch (QuiverException e) {
            throw new IllegalArgumentException(where + ": " + e.reason(), e);
        }
    }
}
