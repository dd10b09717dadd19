package dev.omni.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker as its own OS process ({@code kafka.Kafka}, as {@code ./omni up} runs it), for
 * tests that must {@code kill -9} the broker and start it again on the same storage: {@link KafkaBroker} runs in the
 * test's JVM and cannot crash on its own.
 * <pre>
 *     try (KafkaProcess kafka = KafkaProcess.start()) {
 *         kafka.kill();      // SIGKILL: unflushed page cache survives (same machine), open requests die
 *         kafka.restart();   // same ports, same log dirs; returns once the broker answers again
 *     }
 * </pre>
 */
public final class KafkaProcess implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final int advertisedPort;
    private Process process;

    private KafkaProcess(Path dir, int port, int controllerPort, int advertisedPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.advertisedPort = advertisedPort;
    }

    /** Formats fresh storage in a temporary directory and starts the broker on free ports. */
    public static KafkaProcess start() {
        int port = LocalProcesses.freePort();
        return start(port, port);
    }

    /**
     * The same on {@code port}, but clients are told to connect to {@code advertisedPort}: a TCP proxy in front of
     * {@code port}, started before, so that every connection (not only the first) goes through it.
     */
    public static KafkaProcess start(int port, int advertisedPort) {
        try {
            KafkaProcess kafka = new KafkaProcess(Files.createTempDirectory("omni-kafka-"), port,
                    LocalProcesses.freePort(), advertisedPort);
            kafka.format();
            kafka.launch();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where clients connect: the advertised port. */
    public String bootstrapServers() {
        return "127.0.0.1:" + advertisedPort;
    }

    /** The port the broker itself listens on. */
    public int port() {
        return port;
    }

    public Path log() {
        return dir.resolve("kafka.log");
    }

    /** SIGKILL, as {@code kill -9}. Waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts again on the same ports and storage after {@link #kill()}. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("kafka is still running; kill() it first");
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private void format() throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + advertisedPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=3",
                "default.replication.factor=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // a restarted single node waits for its previous registration to expire: keep that short
                "broker.heartbeat.interval.ms=1000",
                "broker.session.timeout.ms=4000",
                ""));
        Process format = java("kafka.tools.StorageTool", "format", "--standalone", "-t", Uuid.randomUuid().toString(),
                "-c", dir.resolve("server.properties").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("kafka storage format failed; see " + dir.resolve("format.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        try {
            process = java("kafka.Kafka", dir.resolve("server.properties").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kafka", e);
        }
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kafka exited with " + process.exitValue() + "; see " + log());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception notYet) {
                // not serving yet
            }
            LocalProcesses.sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("kafka not ready within " + READY_WITHIN + "; see " + log());
    }

    /** The broker runs on this JVM's class path: the test's own, which carries the Kafka server (see testing's pom). */
    private static ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Djava.awt.headless=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
