package dev.quiver.redis.feast;

import java.io.IOException;

/**
 * Bytes that are well-formed protobuf but not a {@code feast.types.Value} this codec can read: a member it does not
 * know, a field of the wrong wire type, or a member whose content Feast itself would refuse. Carries no stack trace:
 * it is thrown for data, not for a bug, and is caught a few frames up.
 */
final class Undecodable extends IOException {

    Undecodable(String reason) {
        super(reason);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
