package dev.quiver.testing.security;

/**
 * The API keys of every function's test profile, one per role and one with all four; their SHA-256 hashes are in this
 * module's {@code META-INF/microprofile-config.properties}, which Quarkus reads in every module that has it on its test
 * class path.
 */
public final class TestKeys {

    /** Predict and read features. */
    public static final String INVOKE = "qk_test_invoke";
    /** Push features, send labels. */
    public static final String WRITE = "qk_test_write";
    /** Register, move aliases, steer rollouts. */
    public static final String DEPLOY = "qk_test_deploy";
    /** Read audit logs, rollouts, reports. */
    public static final String OBSERVE = "qk_test_observe";
    /** Every role: for tests about something else than who may act. */
    public static final String ALL = "qk_test_all";

    private TestKeys() {
    }

    /** The {@code Authorization} header value that presents {@code key}. */
    public static String bearer(String key) {
        return "Bearer " + key;
    }
}
