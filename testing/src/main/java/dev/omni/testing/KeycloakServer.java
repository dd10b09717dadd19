package dev.omni.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Keycloak server as a local process, started the way {@code ./omni} starts it ({@code kc.sh start-dev
 * --import-realm}, realm {@code launcher/keycloak/omni-realm.json}), but on free ports, with an in-memory database and
 * from its own copy of the distribution ({@code target/keycloak}, unpacked by the build from Maven Central), so it never
 * touches the launcher's Keycloak. Like the launcher it runs on the newest JDK 21+ it finds ({@code KC_JAVA_HOME},
 * {@code JAVA_HOME}, {@code /usr/lib/jvm/*}, ...), else on the test's own Java.
 */
public final class KeycloakServer implements AutoCloseable {

    /**
     * Keycloak starts in under a minute on a quiet machine; the first start after unpacking also rebuilds the
     * distribution for dev mode (about as long again). The bound leaves room for a busy CI machine.
     */
    private static final Duration READY_WITHIN = Duration.ofSeconds(480);
    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private final Path log;
    private final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private KeycloakServer(Path log, int port, Process process) {
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /** Starts Keycloak with {@code realmFile} imported and waits until the realm {@code realm} answers. */
    public static KeycloakServer start(Path realmFile, String realm) {
        Path home = Paths.get(System.getProperty("omni.keycloak.home", "target/keycloak/keycloak"));
        Path script = home.resolve("bin/kc.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no Keycloak distribution at " + home.toAbsolutePath()
                    + ": the test module's build unpacks it (maven-dependency-plugin, keycloak-quarkus-dist) and passes -Domni.keycloak.home");
        }
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (Stream<Path> old = Files.list(imports)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            Files.copy(realmFile, imports.resolve(realmFile.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            Path log = home.getParent().resolve("keycloak-test.log");
            int port = LocalProcesses.freePort();
            int managementPort = LocalProcesses.freePort();
            List<String> command = new ArrayList<>(List.of("bash", script.toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                    "--db=dev-mem", "--import-realm", "--health-enabled=true", "--hostname-strict=false"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("JAVA_HOME", javaHome().toString());
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
            env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            KeycloakServer server = new KeycloakServer(log, port, builder.start());
            server.awaitRealm(realm);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitRealm(String realm) {
        URI discovery = URI.create(url() + "/realms/" + realm + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LocalProcesses.sleep(1000);
        }
        close();
        throw new IllegalStateException("Keycloak did not serve realm " + realm + " within " + READY_WITHIN + ":\n"
                + tail());
    }

    /** The last lines of Keycloak's log, for a failure message. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroy(); // kc.sh passes SIGTERM on to Keycloak's JVM
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : all) {
            child.destroyForcibly();
        }
    }

    /** The newest JDK 21+ the launcher would pick for Keycloak, else the Java running the tests. */
    static Path javaHome() {
        List<Path> candidates = new ArrayList<>();
        for (String variable : List.of("KC_JAVA_HOME", "JAVA_HOME")) {
            Optional.ofNullable(System.getenv(variable)).filter(v -> !v.isBlank()).map(Paths::get)
                    .ifPresent(candidates::add);
        }
        for (String root : List.of("/usr/lib/jvm", "/Library/Java/JavaVirtualMachines",
                System.getProperty("user.home") + "/.sdkman/candidates/java")) {
            try (Stream<Path> homes = Files.list(Paths.get(root))) {
                homes.map(h -> Files.isDirectory(h.resolve("Contents/Home")) ? h.resolve("Contents/Home") : h)
                        .forEach(candidates::add);
            } catch (IOException | RuntimeException absent) {
                // no such directory here
            }
        }
        Path best = Paths.get(System.getProperty("java.home"));
        int bestVersion = 0;
        for (Path candidate : candidates) {
            int version = major(candidate);
            if (version >= 21 && version > bestVersion && Files.isExecutable(candidate.resolve("bin/java"))) {
                best = candidate;
                bestVersion = version;
            }
        }
        return best;
    }

    private static int major(Path javaHome) {
        try {
            Matcher m = VERSION.matcher(Files.readString(javaHome.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

}
