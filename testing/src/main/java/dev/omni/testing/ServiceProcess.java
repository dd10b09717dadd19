package dev.omni.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A service's packaged application ({@code target/quarkus-app/quarkus-run.jar}) running as a real operating-system
 * process, for tests that must kill and restart it: what a crash does cannot be shown inside one JVM. Used by the
 * failsafe tests ({@code *IT}) that run after {@code package}; the infrastructure comes from the same resources as
 * {@code @QuarkusTest} ({@code new ServiceInfraResource().start()} gives the configuration to pass in).
 *
 * <pre>{@code
 * try (ServiceProcess app = ServiceProcess.start("inventory", infraConfig)) {
 *     ... app.url() ...
 *     app.kill();              // SIGKILL: no shutdown hook, no graceful drain
 *     app.restart();           // same configuration and port, waits until ready
 * }
 * }</pre>
 */
public final class ServiceProcess implements AutoCloseable {

    /** 90 s by default; {@code -Domni.service-process.ready-within=PT5M} for tests that start a whole stack. */
    private static final Duration READY_WITHIN =
            Duration.parse(System.getProperty("omni.service-process.ready-within", "PT90S"));

    private final String name;
    private final Path jar;
    private final Map<String, String> config;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    private ServiceProcess(String name, Path jar, Map<String, String> config, int port) {
        this.name = name;
        this.jar = jar;
        this.config = config;
        this.port = port;
    }

    /**
     * Starts {@code target/quarkus-app/quarkus-run.jar} of the module the test runs in, on a free port, with
     * {@code config} as system properties, and waits until {@code /q/health/ready} answers 200.
     */
    public static ServiceProcess start(String name, Map<String, String> config) {
        return start(name, Path.of("target", "quarkus-app", "quarkus-run.jar"), config);
    }

    /** The same for another module's packaged app ({@code jar} = its {@code target/quarkus-app/quarkus-run.jar}). */
    public static ServiceProcess start(String name, Path jar, Map<String, String> config) {
        return start(name, jar, config, LocalProcesses.freePort());
    }

    /** The same on a given port (one chosen before, because other parts had to be told the address first). */
    public static ServiceProcess start(String name, Path jar, Map<String, String> config, int port) {
        ServiceProcess app = new ServiceProcess(name, jar, new TreeMap<>(config), port);
        app.launch();
        return app;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The process's output of its latest start. */
    public Path log() {
        return Path.of("target", name + "-process-" + starts + ".log");
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, as {@code kill -9}: the process gets no chance to finish anything. Waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: Quarkus shuts down gracefully. Waits until it is gone. */
    public void stop() {
        process.destroy();
        waitForExit();
    }

    /** Starts again after {@link #kill()} or {@link #stop()}, with the same configuration and port. */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running; kill() or stop() it first");
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private void launch() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: ServiceProcess runs the packaged app, "
                    + "so its tests must run after package (failsafe, *IT)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        starts++;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see "
                        + log().toAbsolutePath());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LocalProcesses.sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " not ready within " + READY_WITHIN + "; see " + log().toAbsolutePath());
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
