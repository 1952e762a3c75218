package dev.quiver.predict.rollout;

import java.util.UUID;

/**
 * This process's name in the stores instances share (rollouts, drift profiles): the host name, the process id and a
 * random suffix, so that a restarted process never takes over a dead one's files.
 */
public final class InstanceName {

    private static final String NAME = make();

    private InstanceName() {
    }

    public static String get() {
        return NAME;
    }

    private static String make() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "host";
        }
        String name = host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return name.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
