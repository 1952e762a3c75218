package dev.quiver.function.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the audit log goes, under {@code quiver.audit}. */
@ConfigMapping(prefix = "quiver.audit")
public interface AuditConfig {

    /** The directory of the embedded audit log; each function appends to {@code <function>.jsonl} in it. */
    @WithDefault(".quiver/audit")
    String path();

    /** How many recent records {@code GET /audit} can give. */
    @WithDefault("1000")
    int keep();
}
