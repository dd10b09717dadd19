package dev.omni.k8s;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one service's code says about its configuration: its {@code application.properties}, plus the platform's
 * shared defaults ({@code META-INF/microprofile-config.properties}) when the service depends on {@code platform}.
 */
final class ServiceCode {
    private static final Map<String, ServiceCode> CACHE = new ConcurrentHashMap<>();
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}]+)");
    private static final Pattern CHANNEL = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.\"?([^\"]+?)\"?\\.(.+)");

    final String module;
    /** Effective properties, application.properties over platform defaults (profile-less keys only). */
    final Map<String, String> properties = new LinkedHashMap<>();
    /** Every config key named in the files: defined keys and keys referenced in ${...} expressions. */
    final Set<String> keysRead = new LinkedHashSet<>();
    final boolean usesPlatform;
    final String pom;

    private ServiceCode(String module) {
        this.module = module;
        this.pom = Repo.read(Repo.ROOT.resolve(module).resolve("pom.xml"));
        this.usesPlatform = pom.contains("<artifactId>platform</artifactId>");
        if (usesPlatform) {
            load(Repo.ROOT.resolve("platform/src/main/resources/META-INF/microprofile-config.properties"));
        }
        load(propertiesOf(module));
    }

    static ServiceCode of(String module) {
        return CACHE.computeIfAbsent(module, ServiceCode::new);
    }

    static Path propertiesOf(String module) {
        return Repo.ROOT.resolve(module).resolve("src/main/resources/application.properties");
    }

    private void load(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key);
            Matcher ref = REFERENCE.matcher(value);
            while (ref.find()) {
                keysRead.add(ref.group(1));
            }
            if (key.startsWith("%")) {
                continue; // a profile's key (%test.…) is not read in prod
            }
            keysRead.add(key);
            properties.put(key, value);
        }
    }

    String property(String key) {
        return properties.get(key);
    }

    int httpPort() {
        return Integer.parseInt(property("quarkus.http.port"));
    }

    String applicationName() {
        return property("quarkus.application.name");
    }

    /** The pom's dependencies plus, for a service on the platform, the platform's. */
    boolean dependsOn(String artifactId) {
        String tag = "<artifactId>" + artifactId + "</artifactId>";
        return pom.contains(tag)
                || usesPlatform && Repo.read(Repo.ROOT.resolve("platform/pom.xml")).contains(tag);
    }

    /** Channel names (= topic names) configured for a direction, "incoming" or "outgoing", on the Kafka connector. */
    Set<String> channels(String direction) {
        Set<String> out = new LinkedHashSet<>();
        properties.forEach((key, value) -> {
            Matcher m = CHANNEL.matcher(key);
            if (m.matches() && m.group(1).equals(direction) && m.group(3).equals("connector")
                    && value.equals("smallrye-kafka") && !m.group(2).equals("omni-outbox")) {
                out.add(m.group(2));
            }
        });
        return out;
    }

    String channelProperty(String direction, String channel, String name) {
        String quoted = properties.get("mp.messaging." + direction + ".\"" + channel + "\"." + name);
        return quoted != null ? quoted : properties.get("mp.messaging." + direction + "." + channel + "." + name);
    }

    /**
     * Whether an environment variable sets a key this service reads, by MicroProfile Config's rule for environment
     * variables: the key with every non-alphanumeric character replaced by '_', upper-cased.
     */
    boolean readsEnv(String env) {
        return keysRead.stream().anyMatch(key -> envName(key).equals(env));
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }
}
