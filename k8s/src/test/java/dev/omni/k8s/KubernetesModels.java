package dev.omni.k8s;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Validation by the npm packages {@code kubernetes-models} (Kubernetes' OpenAPI spec) and
 * {@code @kubernetes-models/cloudnative-pg} (CloudNativePG's CRDs): {@code src/test/node/validate.mjs} runs each
 * object through its model's JSON Schema validator and type-checks it against the model's TypeScript interface
 * (unknown fields). One node process answers every request of a test run. The pinned packages
 * ({@code src/test/node/package-lock.json}) are installed with {@code npm ci} into {@code target/npm} once, and again
 * only when the lockfile changes: later builds need no network.
 */
final class KubernetesModels {
    private static final Path SOURCE = Repo.K8S.resolve("src/test/node");
    private static final Path INSTALL = Repo.K8S.resolve("target/npm");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "validate.mjs");
    private static final String STAMP = "node_modules/.omni-installed-lock";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Process process;
    private static BufferedWriter in;
    private static BufferedReader out;

    private KubernetesModels() {
    }

    /** The problems of each object, in order ([] = valid), as the packages' validators state them. */
    static synchronized List<List<String>> problems(List<? extends JsonNode> objects) {
        if (objects.isEmpty()) {
            return List.of();
        }
        try {
            if (process == null) {
                start();
            }
            in.write(JSON.writeValueAsString(objects));
            in.newLine();
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("validate.mjs ended: " + Files.readString(INSTALL.resolve("validate.err")));
            }
            List<List<String>> problems = JSON.readValue(line, new TypeReference<>() {
            });
            if (problems.size() != objects.size()) {
                throw new IllegalStateException("validate.mjs answered for " + problems.size() + " of "
                        + objects.size() + " objects");
            }
            return problems;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One node process for the test run: the TypeScript declarations are parsed once. */
    private static void start() throws IOException {
        install();
        String node = System.getProperty("node", "node");
        try {
            process = new ProcessBuilder(node, INSTALL.resolve("validate.mjs").toString()).directory(INSTALL.toFile())
                    .redirectError(INSTALL.resolve("validate.err").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + node
                    + " (Node.js 20+ runs the schema validators; pass -Dnode=/path/to/node): " + e.getMessage(), e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void install() throws IOException {
        Files.createDirectories(INSTALL);
        for (String file : FILES) {
            Files.copy(SOURCE.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        String lock = Files.readString(SOURCE.resolve("package-lock.json"));
        Path stamp = INSTALL.resolve(STAMP);
        if (!Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
            Commands.run(List.of(System.getProperty("npm", "npm"), "ci", "--prefix", INSTALL.toString(),
                            "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"), null,
                    "npm installs the schema validators into k8s/target/npm once; pass -Dnpm=/path/to/npm", 600);
            Files.writeString(stamp, lock);
        }
    }
}
