package dev.quiver.agent.function.kafka;

import dev.quiver.testing.files.TempDirectory;
import dev.quiver.testing.kafka.KafkaBroker;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The Kafka door's latency, end to end: a real broker in this JVM, the packaged agent in a JVM of its own with its
 * channels on that broker, and feature_store_request envelopes sent to {@code quiver.agent.in} at a fixed rate, each
 * timed from the moment it was due to be sent (so a stall counts against every message it delays) until its
 * feature_availability, matched by correlation id, is read from {@code quiver.agent.answers}. Run by
 * {@code functions/agent/bench/kafka-latency.sh}; arguments: the agent's {@code quarkus-run.jar}, messages a second,
 * warm-up seconds, measured seconds, then any options for the agent's JVM.
 */
public final class KafkaLatencyBench {

    private static final String REQUEST = """
            {"message_id": "%s", "action": "feature_store_request", "recipient": "data_engineer_id",
             "request": {"features": ["user_age", "purchase_history", "last_login"],
                         "latency_requirement": "real-time", "update_frequency": "hourly"}}""";

    private KafkaLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int rate = Integer.parseInt(args[1]);
        int warmUp = Integer.parseInt(args[2]);
        int measured = Integer.parseInt(args[3]);
        Path state = TempDirectory.create("kafka-bench-");
        try (KafkaBroker broker = KafkaBroker.start()) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquiver.agent.messaging.connector=smallrye-kafka",
                    "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                    "-Dquiver.agent.state=" + state.resolve("agent"),
                    "-Dquiver.features.store.path=" + state.resolve("features"),
                    "-Dquarkus.http.port=0"));
            for (int i = 4; i < args.length; i++) {
                command.add(args[i]);
            }
            command.addAll(List.of("-jar", jar.toString()));
            Process agent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(state.resolve("agent.log").toFile()).start();
            try {
                run(broker.bootstrapServers(), rate, warmUp, measured, agent.toHandle());
            } finally {
                agent.destroy();
                agent.waitFor(20, TimeUnit.SECONDS);
            }
        } finally {
            TempDirectory.delete(state);
        }
    }

    private static void run(String bootstrap, int rate, int warmUp, int measured, ProcessHandle agent)
            throws InterruptedException {
        Map<String, Long> due = new ConcurrentHashMap<>();
        Histogram warming = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        Histogram micros = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong answered = new AtomicLong();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicReference<Histogram> recording = new AtomicReference<>();
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "bench-" + UUID.randomUUID(), "auto.offset.reset", "latest", "fetch.max.wait.ms", 100),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of("quiver.agent.answers"));
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    Long sent = r.key() == null ? null : due.remove(r.key());
                    if (sent != null) {
                        answered.incrementAndGet();
                        Histogram h = recording.get();
                        if (h != null) {
                            h.recordValue(Math.max(0, (now - sent) / 1000));
                        }
                    }
                }
            }
            consumer.close();
        }, "answers-reader");
        reader.start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "linger.ms", 0, "acks", "all"), new StringSerializer(), new StringSerializer())) {
            System.out.println("waiting for the agent to answer");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (answered.get() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the agent answered nothing in 120 s");
                }
                send(producer, due, "probe-" + UUID.randomUUID(), System.nanoTime());
                Thread.sleep(500);
            }
            System.out.printf("warm-up: %d s at %d/s%n", warmUp, rate);
            recording.set(warming);
            pace(producer, due, rate, warmUp, "warm");
            Thread.sleep(2000);
            recording.set(null);
            due.clear();
            print("warm-up", warming);
            long before = answered.get();
            recording.set(micros);
            System.out.printf("measuring: %d s at %d/s%n", measured, rate);
            String loadBefore = loadAverage();
            long agentCpu = cpuNanos(agent);
            long ownCpu = ownCpuNanos();
            long start = System.nanoTime();
            long sent = pace(producer, due, rate, measured, "m");
            agentCpu = cpuNanos(agent) - agentCpu;
            ownCpu = ownCpuNanos() - ownCpu;
            double seconds = (System.nanoTime() - start) / 1e9;
            long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!due.isEmpty() && System.nanoTime() < wait) {
                Thread.sleep(50);
            }
            recording.set(null);
            long got = answered.get() - before;
            System.out.printf("sent %d in %.1f s (%.0f/s), answered %d, unanswered %d%n", sent, seconds,
                    sent / seconds, got, due.size());
            print("measured", micros);
            System.out.printf("CPU per message (ms): agent %.2f, broker and load generator %.2f; %d CPUs;"
                            + " load average before %s, after %s%n", agentCpu / 1e6 / sent, ownCpu / 1e6 / sent,
                    Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        } finally {
            reading.set(false);
            reader.join(5000);
        }
    }

    private static void print(String phase, Histogram micros) {
        System.out.printf("%s, in -> answer latency (ms): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", phase,
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(90) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getValueAtPercentile(99.9) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The 1-minute load average, or "?" where there is no /proc. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Sends {@code rate} a second for {@code seconds}, each due at its slot; returns how many were sent. */
    private static long pace(KafkaProducer<String, String> producer, Map<String, Long> due, int rate, int seconds,
                             String prefix) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        String run = prefix + "-" + UUID.randomUUID() + "-";
        for (long i = 0; i < total; i++) {
            long slot = start + i * interval;
            long wait = slot - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(producer, due, run + i, slot);
        }
        return total;
    }

    private static void send(KafkaProducer<String, String> producer, Map<String, Long> due, String id, long slot) {
        due.put(id, slot);
        producer.send(new ProducerRecord<>("quiver.agent.in", id, REQUEST.formatted(id)));
    }
}
