package dev.omni.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omni.testing.Suite;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #8's bad-input corpus, on the whole suite as {@code ./omni up} runs it ({@link SharedSuite}: auth on, the
 * gateway in front; this class runs first, on the fresh suite): every operation of every service's OpenAPI document, and every public operation of the gateway's (its own,
 * and the services' as it routes them, each with a token allowed to call it, and again with none and with a forged
 * one), and the gateway's Segment endpoints get malformed JSON, wrong types, a huge body, deep nesting, unicode and
 * injection strings in their bodies, query and path parameters; every consumed topic gets poison records. Only 4xx
 * answers and dead letters may come of it — never a 5xx — and no table of any service's database holds one row more
 * or less afterwards. The counts are printed as a table.
 */
@ExtendWith(SharedSuite.class)
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * Which of the suite's processes consume each topic (their application.properties): one dead letter per consumer.
     * omni.availability: messaging's and the gateway's; inventory's availability index skips what it cannot read
     * instead (one group per replica would dead-letter a copy per replica; its periodic reload from the database
     * repairs the index).
     */
    private static final Map<String, Integer> CONSUMERS = Map.of(
            "omni.interactions", 2, "omni.message-events", 2, "omni.profiles", 3, "omni.stock-movements", 1,
            "omni.availability", 2, "omni.reservations", 1);
    /** The gateway's Segment source for the corpus (HTTP Basic, the write key as user). */
    static final String WRITE_KEY = "bad-input-web";

    /** Strings for parameters and string fields: injection, unicode, control characters, oversize. */
    static final List<String> STRINGS = List.of(
            "' OR '1'='1' --", "'; DROP TABLE profile; --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}{#include x/}", "../../../../etc/passwd", "%00\u0000nul", "\uD83D\uDC5F\u202E\u0645\u0631\u062D\u0628\u0627",
            "\uFFFF\uD800", " ", "-1", "99999999999999999999999", "1e400", "NaN", "x".repeat(2_000));

    private static final String DEEP = "[".repeat(5000) + "]".repeat(5000);
    private static final String HUGE = "{\"x\":\"" + "x".repeat(12 * 1024 * 1024) + "\"}";

    private static Suite suite;
    private static String admin;
    private static String customer;

    @BeforeAll
    static void tokens() {
        suite = SharedSuite.suite();
        admin = suite.clientToken("omni-admin");
        customer = suite.customerToken("anna@example.com", "anna");
    }

    @Test
    void badInputIsRefusedWith4xxOrDeadLetteredAndLeavesNothingHalfWritten() throws Exception {
        Map<String, Map<String, Long>> before = new LinkedHashMap<>();
        for (String service : Suite.SERVICES) {
            before.put(service, rowCounts(service));
        }

        Map<String, List<BadRequest>> corpora = new LinkedHashMap<>();
        for (String service : Suite.SERVICES) {
            corpora.put(service, corpus(service, suite.url(service), "/q/openapi?format=json", path -> admin));
        }
        corpora.put("gateway", corpus("gateway", suite.gatewayUrl(), "/openapi",
                path -> path.startsWith("/api/me") ? customer : admin));
        corpora.put("gateway without a valid token", withoutValidTokens(corpora.get("gateway")));
        corpora.put("gateway /v1 (Segment)", segmentCorpus(suite.gatewayUrl()));

        Map<String, Map<String, Integer>> answers = new LinkedHashMap<>();
        List<String> serverErrors = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int requests = 0;
        for (Map.Entry<String, List<BadRequest>> corpus : corpora.entrySet()) {
            for (BadRequest bad : corpus.getValue()) {
                requests++;
                String outcome = send(bad);
                answers.computeIfAbsent(corpus.getKey(), s -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
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
        for (String service : Suite.SERVICES) {
            Map<String, Long> after = rowCounts(service);
            before.get(service).forEach((table, rows) -> {
                if (!rows.equals(after.get(table))) {
                    changedTables.put(service + "." + table, rows + " → " + after.get(table));
                }
            });
        }

        System.out.println("bad input: " + requests + " HTTP requests");
        System.out.println("| to | answers |\n|---|---|");
        answers.forEach((service, counts) -> System.out.println("| " + service + " | " + counts + " |"));
        System.out.println("| topic | poison sent | dead letters (expected: one per consumer) |\n|---|---|---|");
        poison.forEach((topic, sent) -> System.out.printf("| %s | %d | %d of %d |%n", topic, sent,
                deadLetters.getOrDefault(topic, 0), sent * CONSUMERS.get(topic)));
        System.out.println("tables changed: " + changedTables);
        kinds.forEach((kind, n) -> System.out.println("wrong: " + n + " × " + kind));
        serverErrors.stream().limit(20).forEach(e -> System.out.println("e.g.: " + e));

        assertThat(serverErrors).as("answers ≥ 500, no answer, or a 4xx that is not problem+json").isEmpty();
        assertThat(answers.values().stream().mapToInt(counts -> counts.getOrDefault("429", 0)).sum())
                .as("requests the rate limit stopped before they reached an endpoint").isZero();
        poison.forEach((topic, sent) -> assertThat(deadLetters.getOrDefault(topic, 0))
                .as("dead letters of " + topic).isEqualTo(sent * CONSUMERS.get(topic)));
        assertThat(changedTables).as("rows written or removed by refused input").isEmpty();
    }

    // ---------------------------------------------------------------- HTTP corpus from the OpenAPI documents

    record BadRequest(String op, String method, String url, String contentType, String body, String what,
            String authorization) {
        @Override
        public String toString() {
            return method + " " + (url.length() > 160 ? url.substring(0, 160) + "…" : url) + " [" + what + "]";
        }

        BadRequest authorizedBy(String authorization, String how) {
            return new BadRequest(op, method, url, contentType, body, what + ", " + how, authorization);
        }
    }

    /**
     * The corpus for every {@code /api} operation of the OpenAPI document at {@code base + document}, each request
     * with the bearer token {@code tokenFor} gives for its path.
     */
    private static List<BadRequest> corpus(String service, String base, String document,
            Function<String, String> tokenFor) throws Exception {
        JsonNode api = JSON.readTree(get(base + document));
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
                String authorization = "Bearer " + tokenFor.apply(path.getKey());
                operation(api, base, path.getKey(), method, op.getValue())
                        .forEach(bad -> corpus.add(bad.authorizedBy(authorization, "with a token")));
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
                        "path " + pathParams + "=" + abbreviate(value), null));
            }
        }
        // query parameters: each one alone with each corpus string
        for (String name : queryParams) {
            for (String value : STRINGS) {
                corpus.add(new BadRequest(label, method, base + plausible + "?" + name + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8), "application/json", goodEnoughBody,
                        "query " + name + "=" + abbreviate(value), null));
            }
        }
        if (hasBody) {
            Map<String, String> bodies = malformedBodies();
            bodies.put("wrong types", wrongTypes(api, schema).toString());
            for (String value : STRINGS) {
                bodies.put("strings " + abbreviate(value), everyStringIs(api, schema, value).toString());
            }
            bodies.forEach((what, body) -> corpus.add(new BadRequest(label, method, base + plausible, "application/json",
                    body, "body " + what, null)));
            corpus.add(new BadRequest(label, method, base + plausible, "text/plain", "{}", "body as text/plain", null));
        }
        return corpus;
    }

    /** Bodies no endpoint may take, whatever it expects: broken JSON, the wrong top-level shape, too deep, too big. */
    private static Map<String, String> malformedBodies() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("malformed JSON", "{\"a\":");
        bodies.put("not JSON", "this is not json");
        bodies.put("null", "null");
        bodies.put("a number", "42");
        bodies.put("a string", "\"text\"");
        bodies.put("an empty array", "[]");
        bodies.put("an array of junk", "[1,\"x\",null,{}]");
        bodies.put("an empty object", "{}");
        bodies.put("deep nesting", DEEP);
        bodies.put("huge (12 MB)", HUGE);
        return bodies;
    }

    /**
     * Each distinct operation of a corpus once without a token and once with a forged one (an injection string, then
     * a well-formed JWT of nobody's signature): 401 for every route but the open ones.
     */
    private static List<BadRequest> withoutValidTokens(List<BadRequest> corpus) {
        String forgedJwt = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(
                StandardCharsets.UTF_8)) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"admin\",\"realm_access\":{\"roles\":[\"admin\"]}}".getBytes(StandardCharsets.UTF_8)) + ".";
        Map<String, BadRequest> firstOfEach = new LinkedHashMap<>();
        corpus.forEach(bad -> firstOfEach.putIfAbsent(bad.op(), bad));
        List<BadRequest> unauthorized = new ArrayList<>();
        for (BadRequest bad : firstOfEach.values()) {
            unauthorized.add(bad.authorizedBy(null, "no token"));
            unauthorized.add(bad.authorizedBy("Bearer ' OR '1'='1", "token ' OR '1'='1"));
            unauthorized.add(bad.authorizedBy("Bearer " + forgedJwt, "unsigned JWT claiming admin"));
        }
        return unauthorized;
    }

    /** The gateway's Segment HTTP Tracking API: every call kind with the corpus bodies, with and without its key. */
    private static List<BadRequest> segmentCorpus(String base) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        List<BadRequest> corpus = new ArrayList<>();
        for (String kind : List.of("track", "identify", "page", "screen", "group", "alias", "batch", "import")) {
            String label = "POST /v1/" + kind;
            Map<String, String> bodies = malformedBodies();
            bodies.put("wrong types", "{\"type\":[],\"event\":{},\"userId\":{\"$ne\":1},\"anonymousId\":7,"
                    + "\"timestamp\":\"yesterday\",\"properties\":\"x\",\"batch\":{\"a\":1}}");
            for (String value : STRINGS) {
                ObjectNode call = JSON.createObjectNode().put("type", value).put("event", value).put("userId", value)
                        .put("anonymousId", value).put("previousId", value).put("groupId", value)
                        .put("messageId", value).put("timestamp", value);
                call.putObject("properties").put("value", value).put("revenue", value);
                call.putObject("traits").put("email", value).put("phone", value);
                call.putObject("context").put("ip", value);
                String body = kind.equals("batch") || kind.equals("import")
                        ? JSON.createObjectNode().set("batch", JSON.createArrayNode().add(call)).toString()
                        : call.toString();
                bodies.put("strings " + abbreviate(value), body);
            }
            bodies.forEach((what, body) -> corpus.add(new BadRequest(label, "POST", base + "/v1/" + kind,
                    "application/json", body, "body " + what, basic)));
            corpus.add(new BadRequest(label, "POST", base + "/v1/" + kind, "application/json", "{}",
                    "no write key", null));
            corpus.add(new BadRequest(label, "POST", base + "/v1/" + kind, "application/json", "{}",
                    "unknown write key", "Basic " + Base64.getEncoder().encodeToString(
                    "' OR '1'='1:".getBytes(StandardCharsets.UTF_8))));
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
        if (bad.authorization() != null) {
            request.header("Authorization", bad.authorization());
        }
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
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafkaBootstrapServers(),
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
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafkaBootstrapServers(),
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
        Map<String, String> config = suite.database(service);
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
