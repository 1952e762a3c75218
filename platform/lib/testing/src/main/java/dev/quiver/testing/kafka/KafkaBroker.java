package dev.quiver.testing.kafka;

import dev.quiver.testing.files.TempDirectory;
import dev.quiver.testing.net.Ports;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A real Kafka broker inside the test JVM: one node in KRaft mode, broker and controller at once, on two free loopback
 * ports, with its log in a temporary folder that {@link #close} deletes. Topics are created on first use, with one
 * partition and no replicas, so a test produces and consumes without any set-up. Starts in about two seconds.
 * Modules that use it declare {@code org.apache.kafka:kafka_2.13} with test scope (this module has it as optional).
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final KafkaRaftServer server;

    private KafkaBroker(Path dir, int port, KafkaRaftServer server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /** Formats a fresh log folder and starts the broker on it; returns once it accepts clients. */
    public static KafkaBroker start() {
        Path dir = TempDirectory.create("kafka-");
        int port = Ports.freeLoopbackPort();
        int controller = Ports.freeLoopbackPort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        // a single node holds every internal topic alone
        for (String topic : List.of("offsets.topic", "transaction.state.log", "share.coordinator.state.topic")) {
            p.put(topic + ".replication.factor", "1");
        }
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // consumers of a new group start at once instead of waiting 3 s for others to join
        p.put("group.initial.rebalance.delay.ms", "0");
        try {
            new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString()).setNodeId(1).setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dir.toString()).setDirectories(List.of(dir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES).run();
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
            server.startup();
            return new KafkaBroker(dir, port, server);
        } catch (Exception e) {
            TempDirectory.delete(dir);
            throw new IllegalStateException("the Kafka broker did not start", e);
        }
    }

    /** What clients connect to: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker, waits until it has, and deletes its log folder. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            TempDirectory.delete(dir);
        }
    }
}
