package dev.quiver.predict.inference;

/**
 * DJL reports its use from EC2 by default: at its engine's first start it asks the instance metadata service
 * (169.254.169.254) for the instance and region and sends them to DJL's telemetry bucket. A serving function should
 * not call out on its owner's behalf, nor spend its cold start on a metadata service that a container or Lambda may not
 * answer; so the engine starts opted out, unless {@code OPT_OUT_TRACKING} is set (as an environment variable or a
 * system property) to say otherwise.
 */
public final class DjlTelemetry {

    static final String OPT_OUT = "OPT_OUT_TRACKING";

    private DjlTelemetry() {
    }

    /** Opts DJL out of its telemetry unless the process says otherwise; call before DJL's engine first starts. */
    public static void optOut() {
        if (System.getenv(OPT_OUT) == null && System.getProperty(OPT_OUT) == null) {
            System.setProperty(OPT_OUT, "true");
        }
    }
}
