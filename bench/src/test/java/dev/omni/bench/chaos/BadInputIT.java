package dev.omni.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omni.testing.KafkaBroker;
import dev.omni.testing.PostgresResource;
import dev.omni.testing.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #8's bad-input corpus: every operation of every service's OpenAPI document gets malformed JSON, wrong types,
 * a huge body, deep nesting, unicode and injection strings in its body, query and path parameters; every consumed
 * topic gets poison records. Only 4xx answers and dead letters may come of it — never a 5xx — and no table of any
 * service's database holds one row more or less afterwards. The counts are printed as a table.
 */
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> SERVICES = List.of("profile", "inventory", "messaging", "attribution");
    /**
     * Which of those services consume each topic (their application.properties): one dead letter per consumer.
     * omni.availability: messaging's; inventory's availability index skips what it cannot read instead (one group per
     * replica would dead-letter a copy per replica; its periodic reload from the database repairs the index).
     */
    private static final Map<String, Integer> CONSUMERS = Map.of(
            "omni.interactions", 2, "omni.message-events", 2, "omni.profiles", 3, "omni.stock-movements", 1,
            "omni.availability", 1, "omni.reservations", 1);

    /** Strings for parameters and string fields: injection, unicode, control characters, oversize. */
    static final List<String> STRINGS = List.of(
            "' OR '1'='1' --", "'; DROP TABLE profile; --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}{#include x/}", "../../../../etc/passwd", "%00\u0000nul", "\uD83D\uDC5F\u202E\u0645\u0631\u062D\u0628\u0627",
            "\uFFFF\uD800", " ", "-1", "99999999999999999999999", "1e400", "NaN", "x".repeat(2_000));

    private static final Deque<AutoCloseable> RUNNING = new ArrayDeque<>();
    private static final Map<String, ServiceProcess> APPS = new LinkedHashMap<>();
    private static final Map<String, Map<String, String>> DATABASES = new HashMap<>();
    private static KafkaBroker kafka;

    @BeforeAll
    static void startTheServices() {
        kafka = KafkaBroker.start();
        RUNNING.push(kafka);
        createTopics();
        for (String service : SERVICES) {
            PostgresResource database = new PostgresResource();
            Map<String, String> config = new HashMap<>(database.start());
            RUNNING.push(database::stop);
            DATABASES.put(service, config);
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            ServiceProcess app = ServiceProcess.start(service,
                    Apps.jar(service + "-service"), config);
            RUNNING.push(app);
            APPS.put(service, app);
        }
    }

    /**
     * As {@code ./omni up} does before the services start: a consumer that joins a topic only once a producer has
     * created it (inventory's availability index reads from the latest offset) would miss what came before.
     */
    private static void createTopics() {
        List<NewTopic> topics = new ArrayList<>();
        CONSUMERS.keySet().forEach(topic -> {
            topics.add(new NewTopic(topic, 3, (short) 1));
            topics.add(new NewTopic(topic + ".dlq", 3, (short) 1));
        });
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics", e);
        }
    }

    @AfterAll
    static void stopTheServices() {
        while (!RUNNING.isEmpty()) {
            try {
                RUNNING.pop().close();
            } catch (Exception e) {
                System.err.println("stopping: " + e);
            }
        }
    }

    @Test
    void badInputIsRefusedWith4xxOrDeadLetteredAndLeavesNothingHalfWritten() throws Exception {
        Map<String, Map<String, Long>> before = new LinkedHashMap<>();
        for (String service : SERVICES) {
            before.put(service, rowCounts(service));
        }

        Map<String, Map<String, Integer>> answers = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int requests = 0;
        for (Map.Entry<String, ServiceProcess> app : APPS.entrySet()) {
            for (BadRequest bad : corpus(app.getKey(), app.getValue().url())) {
                requests++;
                String outcome = send(bad);
                answers.computeIfAbsent(app.getKey(), s -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
                if (outcome.startsWith("5") || outcome.equals("no answer") || outcome.endsWith("without problem+json")) {
                    serverErrors.add(outcome + " " + bad);
                    kinds.merge(outcome + " " + bad.op() + " [" + bad.what().replaceAll("=.*| .*", "") + "]", 1,
                            Integer::sum);
                }
            }
        }

        Map<String, Integer> poison = sendPoison();
        Map<String, Integer> deadLetters = awaitDeadLetters(poison);

        Thread.sleep(2000); // anything a consumer or job would still write after a refusal has been written now
        Map<String, String> changedTables = new TreeMap<>();
        for (String service : SERVICES) {
            Map<String, Long> after = rowCounts(service);
            before.get(service).forEach((table, rows) -> {
                if (!rows.equals(after.get(table))) {
                    changedTables.put(service + "." + table, rows + " → " + after.get(table));
                }
            });
        }

        System.out.println("bad input: " + requests + " HTTP requests");
        System.out.println("| service | answers |\n|---|---|");
        answers.forEach((service, counts) -> System.out.println("| " + service + " | " + counts + " |"));
        System.out.println("| topic | poison sent | dead letters (expected: one per consumer) |\n|---|---|---|");
        poison.forEach((topic, sent) -> System.out.printf("| %s | %d | %d of %d |%n", topic, sent,
                deadLetters.getOrDefault(topic, 0), sent * CONSUMERS.get(topic)));
        System.out.println("tables changed: " + changedTables);
        kinds.forEach((kind, n) -> System.out.println("wrong: " + n + " × " + kind));
        serverErrors.stream().limit(20).forEach(e -> System.out.println("e.g.: " + e));

        assertThat(serverErrors).as("answers ≥ 500, no answer, or a 4xx that is not problem+json").isEmpty();
        poison.forEach((topic, sent) -> assertThat(deadLetters.getOrDefault(topic, 0))
                .as("dead letters of " + topic).isEqualTo(sent * CONSUMERS.get(topic)));
        assertThat(changedTables).as("rows written or removed by refused input").isEmpty();
    }

    // ---------------------------------------------------------------- HTTP corpus from the OpenAPI documents

    record BadRequest(String op, String method, String url, String contentType, String body, String what) {
        @Override
        public String toString() {
            return method + " " + (url.length() > 160 ? url.substring(0, 160) + "…" : url) + " [" + what + "]";
        }
    }

    private static List<BadRequest> corpus(String service, String base) throws Exception {
        JsonNode api = JSON.readTree(get(base + "/q/openapi?format=json"));
        List<BadRequest> corpus = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                corpus.addAll(operation(api, base, path.getKey(), method, op.getValue()));
            }
        }
        assertThat(corpus).as(service + " publishes its operations at /q/openapi").isNotEmpty();
        return corpus;
    }

    private static List<BadRequest> operation(JsonNode api, String base, String template, String method, JsonNode op) {
        List<BadRequest> corpus = new ArrayList<>();
        String label = method + " " + template;
        List<String> pathParams = new ArrayList<>();
        List<String> queryParams = new ArrayList<>();
        op.path("parameters").forEach(p -> {
            if (p.path("in").asText().equals("path")) {
                pathParams.add(p.path("name").asText());
            } else if (p.path("in").asText().equals("query")) {
                queryParams.add(p.path("name").asText());
            }
        });
        String plausible = fill(template, "00000000-0000-0000-0000-000000000000");
        JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
        boolean hasBody = !op.path("requestBody").isMissingNode();
        String goodEnoughBody = hasBody ? "{}" : null;
        // path parameters: every corpus string in every one of them at once
        if (!pathParams.isEmpty()) {
            for (String value : STRINGS) {
                corpus.add(new BadRequest(label, method, base + fill(template, value), "application/json", goodEnoughBody,
                        "path " + pathParams + "=" + abbreviate(value)));
            }
        }
        // query parameters: each one alone with each corpus string
        for (String name : queryParams) {
            for (String value : STRINGS) {
                corpus.add(new BadRequest(label, method, base + plausible + "?" + name + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8), "application/json", goodEnoughBody,
                        "query " + name + "=" + abbreviate(value)));
            }
        }
        if (hasBody) {
            Map<String, String> bodies = new LinkedHashMap<>();
            bodies.put("malformed JSON", "{\"a\":");
            bodies.put("not JSON", "this is not json");
            bodies.put("null", "null");
            bodies.put("a number", "42");
            bodies.put("a string", "\"text\"");
            bodies.put("an empty array", "[]");
            bodies.put("an array of junk", "[1,\"x\",null,{}]");
            bodies.put("an empty object", "{}");
            bodies.put("deep nesting", "[".repeat(5000) + "]".repeat(5000));
            bodies.put("huge (12 MB)", "{\"x\":\"" + "x".repeat(12 * 1024 * 1024) + "\"}");
            bodies.put("wrong types", wrongTypes(api, schema).toString());
            for (String value : STRINGS) {
                bodies.put("strings " + abbreviate(value), everyStringIs(api, schema, value).toString());
            }
            bodies.forEach((what, body) -> corpus.add(new BadRequest(label, method, base + plausible, "application/json",
                    body, "body " + what)));
            corpus.add(new BadRequest(label, method, base + plausible, "text/plain", "{}", "body as text/plain"));
        }
        return corpus;
    }

    private static String fill(String template, String value) {
        return template.replaceAll("\\{[^}]+}", URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static String abbreviate(String value) {
        return value.length() > 24 ? value.substring(0, 12) + "…(" + value.length() + ")" : value;
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/components/schemas/")
                ? api.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()))
                : schema;
    }

    /** Each declared property with a value of another JSON type. */
    private static ObjectNode wrongTypes(JsonNode api, JsonNode schema) {
        ObjectNode body = JSON.createObjectNode();
        resolve(api, schema).path("properties").fields().forEachRemaining(p -> {
            switch (resolve(api, p.getValue()).path("type").asText("object")) {
                case "string" -> body.putObject(p.getKey()).put("$ne", 1);
                case "integer", "number" -> body.put(p.getKey(), "'; DROP TABLE x; --");
                case "boolean" -> body.put(p.getKey(), "yes");
                case "array" -> body.put(p.getKey(), "\u0000");
                default -> body.putArray(p.getKey()).add(1);
            }
        });
        if (body.isEmpty()) {
            body.put("unexpected", true);
        }
        return body;
    }

    /** Each declared property filled with {@code value} (numbers parsed from it where they must be numbers). */
    private static JsonNode everyStringIs(JsonNode api, JsonNode schema, String value) {
        JsonNode resolved = resolve(api, schema);
        if (resolved.path("type").asText().equals("array")) {
            ArrayNode array = JSON.createArrayNode();
            array.add(everyStringIs(api, resolved.path("items"), value));
            return array;
        }
        ObjectNode body = JSON.createObjectNode();
        resolved.path("properties").fields().forEachRemaining(p -> body.put(p.getKey(), value));
        if (body.isEmpty()) {
            body.put("value", value);
        }
        return body;
    }

    private static String send(BadRequest bad) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bad.url())).timeout(Duration.ofSeconds(60));
        if (bad.body() == null) {
            request.method(bad.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", bad.contentType())
                    .method(bad.method(), HttpRequest.BodyPublishers.ofString(bad.body()));
        }
        try {
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            // 405/413/414/415/431 come from the HTTP layer before any of our code runs: a status and no body
            if (answer.statusCode() >= 400 && answer.statusCode() < 500
                    && !List.of(405, 413, 414, 415, 431).contains(answer.statusCode())
                    && !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                return answer.statusCode() + " without problem+json";
            }
            return String.valueOf(answer.statusCode());
        } catch (IOException e) {
            return bad.what().startsWith("body huge") ? "413 (connection closed mid-upload)" : "no answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url).isEqualTo(200);
        return answer.body();
    }

    // ---------------------------------------------------------------- topics

    /** Records no consumer can make sense of, on every consumed topic; returns how many went to each. */
    private static Map<String, Integer> sendPoison() throws Exception {
        List<String> poison = List.of(
                "not json at all",
                "[1,2,3]",
                "{\"specversion\":\"1.0\",\"type\":\"omni.unknown\"}",
                "{\"specversion\":\"1.0\",\"id\":\"not-a-uuid\",\"source\":\"x\",\"type\":\"omni.profile.created\","
                        + "\"subject\":\"s\",\"time\":\"yesterday\",\"data\":{\"profileId\":[]}}",
                "{\"specversion\":\"1.0\",\"id\":\"6f1c1f64-5f7a-4d3f-9d6c-3c1f7f0e0a11\",\"source\":\"x\","
                        + "\"type\":\"omni.interaction.recorded\",\"subject\":\"s\",\"time\":\"2026-01-01T00:00:00Z\","
                        + "\"data\":\"" + "\uD83D\uDC5F".repeat(1000) + "\"}");
        Map<String, Integer> sent = new TreeMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all"))) {
            for (String topic : CONSUMERS.keySet()) {
                for (String value : poison) {
                    RecordMetadata written = producer.send(new ProducerRecord<>(topic, "poison", value))
                            .get(30, TimeUnit.SECONDS);
                    assertThat(written.offset()).isNotNegative();
                    sent.merge(topic, 1, Integer::sum);
                }
            }
        }
        return sent;
    }

    /** Dead letters of the poison per original topic, waiting (up to 120 s) until every consumer has sent its own. */
    private static Map<String, Integer> awaitDeadLetters(Map<String, Integer> poison) throws Exception {
        Map<String, Integer> deadLetters = new TreeMap<>();
        int expected = poison.entrySet().stream().mapToInt(e -> e.getValue() * CONSUMERS.get(e.getKey())).sum();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            List<TopicPartition> assigned = List.of();
            while (System.nanoTime() < deadline
                    && deadLetters.values().stream().mapToInt(Integer::intValue).sum() < expected) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : poison.keySet()) {
                    consumer.listTopics().keySet().stream().filter(t -> t.equals(topic + ".dlq")).forEach(t ->
                            consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
                }
                if (!partitions.equals(assigned)) {
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    deadLetters.clear();
                    assigned = partitions;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    deadLetters.merge(record.topic().substring(0, record.topic().length() - ".dlq".length()), 1,
                            Integer::sum);
                }
            }
            // a consumer that dead-letters twice would show now
            long tail = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < tail) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    deadLetters.merge(record.topic().substring(0, record.topic().length() - ".dlq".length()), 1,
                            Integer::sum);
                }
            }
        }
        return deadLetters;
    }

    // ---------------------------------------------------------------- databases

    private static Map<String, Long> rowCounts(String service) throws Exception {
        Map<String, String> config = DATABASES.get(service);
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"))) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.createStatement().executeQuery("SELECT table_name FROM "
                    + "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                    + "AND table_name <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = connection.createStatement().executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
