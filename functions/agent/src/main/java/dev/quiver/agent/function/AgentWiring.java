package dev.quiver.agent.function;

import dev.quiver.agent.Messages;
import dev.quiver.agent.delivery.DeliveryIntake;
import dev.quiver.agent.directory.AgentDirectory;
import dev.quiver.agent.features.FeatureAvailabilityCheck;
import dev.quiver.agent.inbox.DeadLetter;
import dev.quiver.agent.inbox.Inbox;
import dev.quiver.agent.incident.FileIncidentLog;
import dev.quiver.agent.incident.IncidentHandler;
import dev.quiver.agent.incident.IncidentLog;
import dev.quiver.agent.journal.LoggedJournal;
import dev.quiver.agent.memory.FileMemories;
import dev.quiver.agent.ledger.FileMessageLedger;
import dev.quiver.agent.ledger.MessageLedger;
import dev.quiver.agent.outbox.Courier;
import dev.quiver.agent.outbox.FileOutboxStore;
import dev.quiver.agent.outbox.OutboxStore;
import dev.quiver.agent.outbox.Outbox;
import dev.quiver.agent.outbox.RetryPolicy;
import dev.quiver.feature.EntityKey;
import dev.quiver.feature.FeatureDefinitions;
import dev.quiver.feature.OnlineFeatures;
import dev.quiver.audit.JsonLinesFile;
import dev.quiver.audit.RecentLog;
import dev.quiver.redis.agent.RedisAgentState;
import dev.quiver.redis.ledger.RedisMessageLedger;
import dev.quiver.wiring.agents.AgentsConfig;
import io.opentelemetry.api.trace.Tracer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

/**
 * Builds the agent's {@link Inbox} from configuration: the agent directory, the message ledger (embedded or Redis),
 * the audit log, the outbox with a courier per channel, the predict function as the rollout and candidate ports,
 * the allowed model stores, and the feature store's availability check.
 */
@ApplicationScoped
public class AgentWiring {

    private static final Logger LOG = Logger.getLogger(AgentWiring.class);
    /** How many dead letters of messages received are listed. */
    private static final int DEAD_LETTERS_KEPT = 1000;

    private final List<AutoCloseable> open = new ArrayList<>();
    /** The agent's state in Redis, opened by the first producer that needs it. */
    private RedisAgentState redis;

    @Produces
    @Singleton
    AgentDirectory directory(AgentsConfig agents) {
        AgentDirectory d = AgentDirectory.read(Path.of(agents.directory()));
        if (d.self() == null) {
            throw new IllegalStateException(agents.directory() + " names no self: the agent needs its own id");
        }
        return d;
    }

    /** The agent's state in Redis, when {@code quiver.agent.store=redis}; null for the embedded directory. */
    private RedisAgentState redisState(AgentConfig config, Tracer tracer) {
        if (!"redis".equals(store(config.store(), "quiver.agent.store"))) {
            return null;
        }
        synchronized (open) {
            if (redis == null) {
                AgentConfig.Redis r = config.redis();
                // a message is kept from other instances while one delivers it: longer than a delivery may take
                redis = new RedisAgentState(r.uri(), r.prefix(), r.timeout(), config.outbox().timeout().multipliedBy(2),
                        tracer, LOG::warn);
                open.add(redis);
            }
            return redis;
        }
    }

    private static String store(String value, String key) {
        if (!value.equals("directory") && !value.equals("redis")) {
            throw new IllegalArgumentException(key + " must be directory or redis, was '" + value + "'");
        }
        return value;
    }

    @Produces
    @Singleton
    LoggedJournal journal(AgentConfig config, Tracer tracer) {
        RedisAgentState r = redisState(config, tracer);
        LoggedJournal j = r != null ? r.journal(config.journalKeep())
                : LoggedJournal.inFile(Path.of(config.state()).resolve("journal.jsonl"), config.journalKeep(), LOG::warn);
        open.add(j);
        return j;
    }

    @Produces
    @Singleton
    DeadLetterLog deadLetters(AgentConfig config, Tracer tracer, Event<DeadLetter> event) {
        RedisAgentState r = redisState(config, tracer);
        RecentLog<DeadLetter> log = r != null ? r.deadLetters(DEAD_LETTERS_KEPT) : new JsonLinesFile<>(
                Path.of(config.state()).resolve("dead-letters.jsonl"), DeadLetter.class, DEAD_LETTERS_KEPT, LOG::warn);
        if (log instanceof AutoCloseable c) {
            open.add(c);
        }
        return new DeadLetterLog(log, event);
    }

    @Produces
    @Singleton
    MessageLedger ledger(AgentConfig config, Tracer tracer) {
        AgentConfig.Ledger l = config.ledger();
        return switch (store(l.store().orElse(config.store()), "quiver.agent.ledger.store")) {
            case "directory" -> {
                FileMessageLedger f = new FileMessageLedger(Path.of(config.state()).resolve("ledger"), l.retention(),
                        l.maxIds(), Clock.systemUTC());
                open.add(f);
                yield f;
            }
            case "redis" -> {
                RedisMessageLedger r = new RedisMessageLedger(l.redisUri().orElse(config.redis().uri()),
                        l.redisPrefix(), l.redisTimeout(), l.retention(), tracer);
                open.add(r);
                yield r;
            }
            default -> throw new IllegalStateException("unreachable");
        };
    }

    @Produces
    @Singleton
    PredictClient predict(AgentConfig config) {
        AgentConfig.Predict p = config.predict();
        SigV4 signer = switch (p.auth()) {
            case "api-key" -> null;
            // the role's credentials, from Lambda's environment or the machine's default chain
            case "sigv4" -> new SigV4(DefaultCredentialsProvider.builder().build(),
                    p.region().orElse(System.getenv("AWS_REGION")));
            default -> throw new IllegalArgumentException("quiver.agent.predict.auth must be api-key or sigv4, was '"
                    + p.auth() + "'");
        };
        return new PredictClient(p.url(), p.apiKey(), signer, p.timeout());
    }

    @Produces
    @Singleton
    Outbox outbox(AgentConfig config, AgentDirectory team, @Any Instance<ChannelCourier> couriers,
                  LoggedJournal journal, AgentTelemetry telemetry, Tracer tracer) {
        Map<AgentDirectory.Channel, Courier> byChannel = new EnumMap<>(AgentDirectory.Channel.class);
        couriers.forEach(c -> byChannel.put(c.channel(), c));
        Courier courier = (m, agent) -> {
            Courier c = byChannel.get(agent.channel());
            return c != null ? c.deliver(m, agent) : CompletableFuture.failedStage(new IllegalStateException(
                    "this build has no courier for " + agent.channel() + " agents"));
        };
        AgentConfig.Outbox o = config.outbox();
        RedisAgentState r = redisState(config, tracer);
        OutboxStore store = r != null ? r.outbox() : new FileOutboxStore(Path.of(config.state()).resolve("outbox"));
        return new Outbox(store, team, courier,
                new RetryPolicy(o.maxAttempts(), o.firstDelay(), o.maxDelay()), Clock.systemUTC(),
                Inbox.journaling(journal, telemetry, Clock.systemUTC()));
    }

    @Produces
    @Singleton
    @Startup
    Inbox inbox(AgentConfig config, AgentDirectory team, MessageLedger ledger, LoggedJournal journal, Outbox outbox,
                PredictClient predict, DeadLetterLog deadLetters, AgentTelemetry telemetry, Tracer tracer,
                Instance<FeatureDefinitions> definitions, Instance<OnlineFeatures> features) {
        String self = team.self().id();
        Clock clock = Clock.systemUTC();
        FeatureAvailabilityCheck check = definitions.isResolvable() && features.isResolvable()
                ? new FeatureAvailabilityCheck(definitions.get(), features.get(),
                probes(config.features().probeEntities()), clock) : null;
        DeliveryIntake intake = new DeliveryIntake(allowedStores(config.models().allowedStores()),
                new StoreFetcher(config.outbox().timeout()), predict, config.models().gpuTarget());
        AgentConfig.Retries r = config.retries();
        RedisAgentState redisState = redisState(config, tracer);
        IncidentLog incidents = redisState != null ? redisState.incidents()
                : new FileIncidentLog(Path.of(config.state()).resolve("incidents.jsonl"));
        return new Inbox(new Inbox.Parts(self, team, ledger, journal, outbox, predict,
                new IncidentHandler(predict, incidents, self, clock), check, intake, deadLetters, telemetry, clock,
                new RetryPolicy(r.maxAttempts(), r.firstDelay(), r.maxDelay()), Messages.DEFAULT_MAX_BYTES,
                redisState != null ? redisState.memories() : new FileMemories(Path.of(config.state()).resolve("memory"))));
    }

    /** A view's probe entities: the first rows of a batch source keyed by row number; none otherwise. */
    private static FeatureAvailabilityCheck.Probes probes(int n) {
        return view -> view.source() == null || view.source().rowNumberKey() == null ? List.of()
                : LongStream.rangeClosed(1, n).mapToObj(i -> EntityKey.of(view.source().rowNumberKey(), i)).toList();
    }

    /**
     * Allowed stores as directories: {@code file:} paths relative to the working directory made absolute, and each
     * ending with '/', so that {@code file:///srv/models} does not allow {@code file:///srv/models-private}.
     */
    static List<String> allowedStores(List<String> configured) {
        List<String> out = new ArrayList<>();
        for (String s : configured) {
            String t = s.trim();
            if (t.startsWith("file:") && !t.startsWith("file:/")) {
                t = Path.of(t.substring("file:".length())).toAbsolutePath().normalize().toUri().toString();
            }
            out.add(t.endsWith("/") ? t : t + "/");
        }
        return out;
    }

    void close(@Observes ShutdownEvent event) {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warnf("closing %s: %s", c, e.getMessage());
            }
        }
    }
}
