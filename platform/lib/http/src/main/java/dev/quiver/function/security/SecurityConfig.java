package dev.quiver.function.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call the function, under {@code quiver.security}: API keys, a JWT issuer, the local key made on embedded
 * defaults, open reads, and trust in a CloudEvents broker. Writes always need a credential.
 */
@ConfigMapping(prefix = "quiver.security")
public interface SecurityConfig {

    /**
     * Whether callers without a credential may predict and read ({@code invoke}) and read reports, rollouts, alerts,
     * metrics and audit logs ({@code observe}). false: every route but the health probes needs a credential.
     */
    @WithDefault("true")
    boolean openReads();

    /** API keys, by name: the name is the subject that audit logs record. */
    Map<String, ApiKey> apiKeys();

    /**
     * A file of API keys, for a secret mounted as a file: one key a line, {@code <name> <roles> <sha256>} separated by
     * spaces, roles comma-separated, {@code #} starting a comment. Read at start.
     */
    Optional<String> apiKeysFile();

    /** The key made at first start when no other credential is configured. */
    LocalKey localKey();

    /** JWTs from an identity provider. */
    Jwt jwt();

    /** CloudEvents delivered to {@code POST /}. */
    CloudEvents cloudevents();

    /** Callers that the gateway in front of the function authenticated. */
    Gateway gateway();

    interface Gateway {
        /**
         * Trust API Gateway's IAM authorizer: a request it let through with a SigV4 signature is made by the IAM
         * principal it names ({@code requestContext.authorizer.iam.userArn}, the subject of audit logs), with
         * {@link #iamRoles}; IAM policies on the API's routes decide who reaches what. Only in a Lambda HTTP build that
         * nothing but the gateway invokes.
         */
        @WithDefault("false")
        boolean iam();

        /** The roles of a caller the IAM authorizer let through. */
        @WithDefault("invoke,write,deploy,observe")
        List<String> iamRoles();
    }

    interface ApiKey {
        /** The lowercase hex SHA-256 of the key (of its UTF-8 text); the key itself is never configured. */
        String sha256();

        /** The roles the key grants: any of invoke, write, deploy, observe. */
        List<String> roles();
    }

    interface LocalKey {
        /**
         * Make (at first start) or read a key with every role, kept in {@link #path} readable by its owner only, and
         * print how to use it. Unset: only when neither API keys nor a JWT issuer are configured, as on embedded
         * defaults.
         */
        Optional<Boolean> enabled();

        /** Where the local key is kept; functions started from the same directory share it. */
        @WithDefault(".quiver/deploy-key")
        String path();
    }

    interface Jwt {
        /** The issuer ({@code iss}) whose JWTs are accepted. Unset: JWTs are not accepted. */
        Optional<String> issuer();

        /** Where the issuer publishes its signing keys (a JWKS document); required with {@link #issuer}. */
        Optional<String> jwksUrl();

        /** Audiences ({@code aud}) of which a token must name one. Unset: the audience is not checked. */
        Optional<List<String>> audience();

        /**
         * The claim holding the caller's roles, a dotted path into the token's claims ({@code groups},
         * {@code realm_access.roles}, {@code scope}); its value is a list of strings or one space-separated string.
         */
        @WithDefault("groups")
        String rolesClaim();

        /** A prefix the identity provider puts before each role ({@code quiver/} makes {@code quiver/deploy} deploy). */
        Optional<String> rolePrefix();

        /** The claim that names the caller in audit logs. */
        @WithDefault("sub")
        String subjectClaim();

        /** How far clocks may disagree when checking {@code exp} and {@code nbf}. */
        @WithDefault("30s")
        Duration clockSkew();
    }

    interface CloudEvents {
        /**
         * Accept CloudEvents without a credential, as the events of a Knative Broker arrive: only for a function that
         * nothing but the broker can reach (a cluster-local Knative Service). Their subject is {@code cloudevent:} and
         * the event's {@code source}.
         */
        @WithDefault("false")
        boolean trusted();
    }
}
