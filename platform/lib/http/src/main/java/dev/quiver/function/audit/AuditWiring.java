package dev.quiver.function.audit;

import dev.quiver.audit.AuditLog;
import dev.quiver.audit.AuditRecord;
import dev.quiver.audit.FileAuditLog;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;

/**
 * The audit log of this function: the embedded file log in {@code quiver.audit.path}, each record also written to the
 * {@code quiver.audit} log category, which is what survives on Lambda (CloudWatch) where the file does not. The record
 * is written by the core's own Jackson mapper, which a native image must be told of.
 */
@ApplicationScoped
@RegisterForReflection(targets = AuditRecord.class)
public class AuditWiring {

    private static final Logger AUDIT = Logger.getLogger("quiver.audit");
    private static final Logger LOG = Logger.getLogger(AuditWiring.class);

    @Produces
    @Singleton
    AuditLog auditLog(AuditConfig config, @ConfigProperty(name = "quarkus.application.name") String function) {
        return new Logged(new FileAuditLog(Path.of(config.path()).resolve(function + ".jsonl"), config.keep(),
                LOG::warn));
    }

    void close(@Disposes AuditLog log) {
        if (log instanceof Logged l) {
            l.file.close();
        }
    }

    /** The file log, each record also logged. */
    private record Logged(FileAuditLog file) implements AuditLog {
        @Override
        public void append(AuditRecord r) {
            AUDIT.infof("%s (%s) %s [%s] -> %d", r.subject(), r.via(), r.action(), r.role(), r.status());
            file.append(r);
        }

        @Override
        public List<AuditRecord> recent(int limit) {
            return file.recent(limit);
        }
    }
}
