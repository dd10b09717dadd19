package dev.omni.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where things are: this module ({@code k8s/}, the tests' working directory) and the repository around it. */
final class Repo {
    static final Path K8S = Path.of("").toAbsolutePath();
    static final Path ROOT = K8S.getParent();
    static final List<String> OVERLAYS = List.of("dev", "prod");

    private Repo() {
    }

    static Path overlay(String name) {
        return K8S.resolve("overlays").resolve(name);
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The modules of the root pom that are services: those whose application.properties set quarkus.http.port. */
    static List<String> services() {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read(ROOT.resolve("pom.xml")));
        return m.results().map(r -> r.group(1))
                .filter(module -> Files.exists(ServiceCode.propertiesOf(module)))
                .filter(module -> ServiceCode.of(module).property("quarkus.http.port") != null)
                .sorted().toList();
    }

    /** The services that use Kafka (the console does not: it reads everything through the gateway). */
    static List<String> kafkaClients() {
        return services().stream().filter(s -> ServiceCode.of(s).dependsOn("quarkus-messaging-kafka")).toList();
    }

    /** What the ingress controller reaches: the public API and the staff's console. */
    static final List<String> EDGE = List.of("console", "gateway");

    /** The services behind the gateway. */
    static List<String> backends() {
        return services().stream().filter(s -> !EDGE.contains(s)).toList();
    }
}
