package dev.omni.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The whole suite as real processes, started the way {@code ./omni up} starts it, for end-to-end tests: one Kafka
 * broker ({@link KafkaBroker}) with the launcher's topics ({@link #TOPICS}), Keycloak from its distribution with the launcher's realm ({@link KeycloakServer}), a
 * database of its own for each service on the shared PostgreSQL ({@link PostgresResource}), an SMTP sink
 * ({@link SmtpResource}, GreenMail) and one HTTP stub for the SMS (Twilio) and push (FCM v1) providers
 * ({@link ProviderStub}), then profile-, inventory-, messaging- and attribution-service and the gateway as packaged
 * processes ({@link ServiceProcess}, each module's {@code target/quarkus-app/quarkus-run.jar}). As with
 * {@code ./omni up} the services check every {@code /api} token again and the gateway uses its own client for the
 * public routes ({@link Builder#auth(boolean)} switches both off); messaging's tracking links and receipt callbacks
 * point at the gateway's public routes.
 *
 * <pre>{@code
 * try (Suite suite = Suite.builder().config("messaging", "omni.messaging.quiet-hours.enabled", "false").start()) {
 *     String admin = suite.clientToken("omni-admin");
 *     String anna = suite.customerToken("anna@example.com", "anna");
 *     ... suite.gatewayUrl() ..., suite.mailsTo("anna@example.com"), suite.providers().requests("sms", "+49…")
 * }
 * }</pre>
 *
 * Keycloak's distribution comes from {@code -Domni.keycloak.home} (the test module unpacks it, as the console and the
 * gateway do); a busy machine wants {@code -Domni.service-process.ready-within=PT5M}.
 */
public final class Suite implements AutoCloseable {

    /** The four services, in the order their addresses are handed to the gateway. */
    public static final List<String> SERVICES = List.of("profile", "inventory", "messaging", "attribution");

    /** The topics {@code ./omni up} creates (3 partitions; availability compacted), each with its {@code .dlq}. */
    public static final List<String> TOPICS = List.of("omni.interactions", "omni.profiles", "omni.stock-movements",
            "omni.reservations", "omni.message-events", "omni.availability");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Keycloak answers slowly while five apps start on a busy machine: the apps (and the gateway's own client) wait
     * up to two minutes for its discovery document instead of failing their start after the 10 s default.
     */
    private static final Map<String, String> PATIENT_OIDC = Map.of(
            "quarkus.oidc.connection-delay", "2M",
            "quarkus.oidc.connection-timeout", "120S");

    private final Path root;
    private final Path realmFile;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, ServiceProcess> processes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> databases = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KafkaBroker kafka;
    private KeycloakServer keycloak;
    private GreenMail smtp;
    private ProviderStub providers;

    private Suite(Path root, Path realmFile) {
        this.root = root;
        this.realmFile = realmFile;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of the suite to start. */
    public static final class Builder {
        private Path root;
        private boolean auth = true;
        private final Map<String, Map<String, String>> config = new HashMap<>();

        private Builder() {
        }

        /** The repository's root (default: the first directory up from here holding {@code launcher/keycloak}). */
        public Builder root(Path root) {
            this.root = root;
            return this;
        }

        /** {@code false}: the services do not check tokens again, the gateway sends none of its own. */
        public Builder auth(boolean auth) {
            this.auth = auth;
            return this;
        }

        /** One more system property for {@code service} ({@code profile} … {@code attribution}, or {@code gateway}). */
        public Builder config(String service, String key, String value) {
            if (!SERVICES.contains(service) && !service.equals("gateway")) {
                throw new IllegalArgumentException("no service " + service + "; one of " + SERVICES + " or gateway");
            }
            config.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** Starts everything and waits until each part is ready; on a failure what was started is stopped again. */
        public Suite start() {
            Path repository = root != null ? root : findRoot();
            Suite suite = new Suite(repository, repository.resolve("launcher/keycloak/omni-realm.json"));
            try {
                suite.startAll(auth, config);
                return suite;
            } catch (RuntimeException | Error e) {
                suite.close();
                throw e;
            }
        }

        private static Path findRoot() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("launcher/keycloak/omni-realm.json"))) {
                    return dir;
                }
            }
            throw new IllegalStateException("no launcher/keycloak/omni-realm.json above " + Path.of("").toAbsolutePath()
                    + ": pass Suite.builder().root(...)");
        }
    }

    private void startAll(boolean auth, Map<String, Map<String, String>> extra) {
        // the packaged apps are copied first, all at once, so they are one consistent build
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String service : SERVICES) {
            jars.put(service, jarOf(service + "-service"));
        }
        jars.put("gateway", jarOf("gateway"));
        ExecutorService starter = Executors.newFixedThreadPool(4);
        try {
            // Keycloak takes longest: it starts while the broker, the databases and the sinks come up
            Path realm = withLocalRedirectsOnAnyPort(realmFile);
            Future<KeycloakServer> keycloakStart = starter.submit(() -> KeycloakServer.start(realm, "omni"));
            kafka = KafkaBroker.start();
            running.push(kafka);
            createTopics();
            SmtpResource smtpResource = new SmtpResource();
            Map<String, String> mailer = smtpResource.start();
            running.push(smtpResource::stop);
            smtp = captured(smtpResource, GreenMail.class);
            providers = new ProviderStub();
            running.push(providers);
            Map<String, Map<String, String>> configs = new LinkedHashMap<>();
            for (String service : SERVICES) {
                PostgresResource database = new PostgresResource();
                Map<String, String> config = new LinkedHashMap<>(database.start());
                running.push(database::stop);
                databases.put(service, Map.copyOf(config));
                config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
                configs.put(service, config);
            }
            configs.get("messaging").put("omni.smtp.host", mailer.get("quarkus.mailer.host"));
            configs.get("messaging").put("omni.smtp.port", mailer.get("quarkus.mailer.port"));
            configs.get("messaging").putAll(providers.config());
            // tracking links and receipt callbacks point at the gateway's public routes, as ./omni up and k8s/ set them
            int gatewayPort = LocalProcesses.freePort();
            configs.get("messaging").put("omni.messaging.public-url", "http://127.0.0.1:" + gatewayPort);
            configs.get("messaging").put("omni.messaging.tracking.links-path", "/api/tracking");
            configs.get("messaging").put("omni.messaging.tracking.receipts-path", "/api/webhooks");
            keycloak = await(keycloakStart);
            running.push(keycloak);
            // the realm's first token costs Keycloak seconds on a busy machine: not on an app's start-up clock
            clientToken("omni-admin");
            for (String service : SERVICES) {
                Map<String, String> config = configs.get(service);
                config.put("omni.auth.enabled", String.valueOf(auth));
                config.put("omni.oidc.url", realmUrl());
                config.putAll(PATIENT_OIDC);
                config.putAll(extra.getOrDefault(service, Map.of()));
            }
            // the four services start side by side (each waits for its own readiness); the gateway needs their urls
            Map<String, Future<ServiceProcess>> starts = new LinkedHashMap<>();
            for (String service : SERVICES) {
                starts.put(service, starter.submit(() -> ServiceProcess.start(service, jars.get(service),
                        configs.get(service))));
            }
            RuntimeException failed = null;
            for (Map.Entry<String, Future<ServiceProcess>> start : starts.entrySet()) {
                try {
                    ServiceProcess process = await(start.getValue());
                    processes.put(start.getKey(), process);
                    running.push(process);
                } catch (RuntimeException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
            Map<String, String> gateway = new LinkedHashMap<>();
            gateway.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            gateway.put("omni.oidc.url", realmUrl());
            gateway.put("omni.gateway.service-token.enabled", String.valueOf(auth));
            gateway.putAll(PATIENT_OIDC);
            gateway.put("quarkus.oidc-client.connection-delay", "2M");
            gateway.put("quarkus.oidc-client.connection-timeout", "120S");
            for (String service : SERVICES) {
                gateway.put("omni." + service + ".url", processes.get(service).url());
                // a busy test machine is slow, not broken
                gateway.put("omni.gateway.upstreams." + service + ".read-timeout", "60s");
            }
            gateway.putAll(extra.getOrDefault("gateway", Map.of()));
            ServiceProcess gatewayProcess = ServiceProcess.start("gateway", jars.get("gateway"), gateway, gatewayPort);
            processes.put("gateway", gatewayProcess);
            running.push(gatewayProcess);
        } finally {
            starter.shutdownNow();
        }
    }

    private void createTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : TOPICS) {
            NewTopic created = new NewTopic(topic, 3, (short) 1);
            topics.add(topic.equals("omni.availability") ? created.configs(Map.of("cleanup.policy", "compact"))
                    : created);
            topics.add(new NewTopic(topic + ".dlq", 1, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create the topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A copy of the realm whose local redirect URIs ({@code http://127.0.0.1:8085/*}, the console's) accept any port:
     * here the apps a test adds (the console) run on free ports.
     */
    private static Path withLocalRedirectsOnAnyPort(Path realm) {
        try {
            Path copy = Files.createTempDirectory("suite-realm").resolve(realm.getFileName().toString());
            Files.writeString(copy, Files.readString(realm)
                    .replaceAll("\"http://(127\\.0\\.0\\.1|localhost):[0-9]+/\\*\"", "\"http://$1:*\""));
            copy.getParent().toFile().deleteOnExit(); // deleted in reverse order: the file, then its directory
            copy.toFile().deleteOnExit();
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the realm " + realm, e);
        }
    }

    /** The repository the suite runs from (its {@code launcher/} holds the realm and the demo data). */
    public Path root() {
        return root;
    }

    /** The gateway: {@code http://127.0.0.1:PORT}, the one entrance storefronts and partners use. */
    public String gatewayUrl() {
        return processes.get("gateway").url();
    }

    /** A service's own address ({@code profile}, {@code inventory}, {@code messaging}, {@code attribution}). */
    public String url(String service) {
        return process(service).url();
    }

    /** A running service or the gateway, to read its log, kill or restart it. */
    public ServiceProcess process(String name) {
        ServiceProcess process = processes.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no process " + name + "; running: " + processes.keySet());
        }
        return process;
    }

    /**
     * The JDBC settings of a service's own database ({@code quarkus.datasource.jdbc.url}, {@code .username},
     * {@code .password}), to look at what it wrote.
     */
    public Map<String, String> database(String service) {
        Map<String, String> database = databases.get(service);
        if (database == null) {
            throw new IllegalArgumentException("no database of " + service + "; one of " + databases.keySet());
        }
        return database;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The realm {@code omni}: {@code http://127.0.0.1:PORT/realms/omni}. */
    public String realmUrl() {
        return keycloak.url() + "/realms/omni";
    }

    /** The SMTP sink every e-mail of messaging-service lands in. */
    public GreenMail smtp() {
        return smtp;
    }

    /** The e-mails received so far for {@code address}, in arrival order. */
    public List<MimeMessage> mailsTo(String address) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                Address[] recipients = message.getAllRecipients();
                if (recipients != null && java.util.Arrays.stream(recipients)
                        .anyMatch(a -> a.toString().equalsIgnoreCase(address))) {
                    found.add(message);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    /** The stand-in of the SMS and push providers and what it received. */
    public ProviderStub providers() {
        return providers;
    }

    /** A client-credentials token of a confidential client of the realm, its secret read from the realm file. */
    public String clientToken(String clientId) {
        return token("grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret="
                + encode(secretOf(clientId)), clientId);
    }

    /**
     * A customer's token as the app gets it: the realm's public client {@code storefront-app}, the customer's login
     * (the local realm allows the password grant for it; apps use the code flow). The gateway recognises it as a
     * customer and finds the profile by its verified e-mail.
     */
    public String customerToken(String username, String password) {
        return token("grant_type=password&client_id=storefront-app&scope=openid%20email%20profile&username="
                + encode(username) + "&password=" + encode(password), username);
    }

    private String token(String form, String who) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create(realmUrl() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("no token for " + who + ": " + answer.statusCode() + " "
                        + answer.body());
            }
            return JSON.readTree(answer.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String secretOf(String clientId) {
        try {
            for (JsonNode client : JSON.readTree(realmFile.toFile()).path("clients")) {
                if (client.path("clientId").asText().equals(clientId) && client.hasNonNull("secret")) {
                    return client.get("secret").asText();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no confidential client " + clientId + " in " + realmFile);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * A private copy of the module's packaged app ({@code target/quarkus-app}, into {@code target/suite-apps/<module>}
     * of the test's module), so a rebuild of that module while the suite runs (another build on the same checkout)
     * cannot swap classes under the running process.
     */
    private Path jarOf(String module) {
        Path app = root.resolve(module).resolve("target/quarkus-app");
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app.resolve("quarkus-run.jar")
                    + " is missing: build the services first (./mvnw -B install -DskipTests)");
        }
        Path copy = Path.of("target", "suite-apps", module).toAbsolutePath();
        try {
            if (Files.exists(copy)) {
                try (Stream<Path> old = Files.walk(copy)) {
                    for (Path file : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
            try (Stream<Path> files = Files.walk(app)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(app.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + app + " to " + copy, e);
        }
        return copy.resolve("quarkus-run.jar");
    }

    /** Stops everything started, last first; a part that fails to stop does not keep the others running. */
    @Override
    public void close() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("Suite: stopping: " + e);
            }
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a test resource would inject into a {@code @QuarkusTest}'s field of this type. */
    private static <T> T captured(QuarkusTestResourceLifecycleManager resource, Class<T> type) {
        AtomicReference<Object> value = new AtomicReference<>();
        resource.inject(new QuarkusTestResourceLifecycleManager.TestInjector() {
            @Override
            public void injectIntoFields(Object fieldValue, java.util.function.Predicate<java.lang.reflect.Field> p) {
                if (type.isInstance(fieldValue)) {
                    value.set(fieldValue);
                }
            }
        });
        return type.cast(value.get());
    }
}
