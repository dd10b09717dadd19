package dev.omni.bench.profile;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own producer benchmark ({@code org.apache.kafka.tools.ProducerPerformance}, in its own JVM on the Kafka
 * tools classpath) against a scratch topic on the same broker, created with the partitions of
 * {@code omni.interactions} and deleted afterwards.
 */
final class ProducerPerf {

    static final String MAIN = "org.apache.kafka.tools.ProducerPerformance";

    private static final Pattern TOTAL = Pattern.compile("(\\d+) records sent, ([\\d.,]+) records/sec \\(([\\d.,]+) "
            + "MB/sec\\), ([\\d.,]+) ms avg latency, ([\\d.,]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, "
            + "(\\d+) ms 99th, (\\d+) ms 99.9th");

    /** The tool's closing line. */
    record Total(long records, double perSecond, double megabytesPerSecond, double avgMillis, double maxMillis,
            long p50Millis, long p95Millis, long p99Millis, long p999Millis, String line) {
    }

    /** The closing line's figures, or null when {@code line} is not one (progress lines lack the percentiles). */
    static Total parse(String line) {
        Matcher m = TOTAL.matcher(line);
        if (!m.find()) {
            return null;
        }
        return new Total(Long.parseLong(m.group(1)), number(m.group(2)), number(m.group(3)), number(m.group(4)),
                number(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)),
                Long.parseLong(m.group(8)), Long.parseLong(m.group(9)), m.group().trim());
    }

    private static double number(String text) {
        return Double.parseDouble(text.replace(",", ""));
    }

    private final String bootstrap;
    private final String classpath;

    ProducerPerf(String bootstrap, String classpath) {
        this.bootstrap = bootstrap;
        this.classpath = classpath;
    }

    /** Creates {@code topic}, sends {@code records} records of {@code recordSize} bytes as fast as acks=all allows. */
    Total run(String topic, int partitions, int recordSize, long records) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                awaitLeaders(admin, topic);
                return produce(topic, recordSize, records);
            } finally {
                admin.deleteTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** So the tool's first send does not wait for the new topic's leader elections. */
    private static void awaitLeaders(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(topic);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no leader for every partition of " + topic + " within 30 s");
    }

    private Total produce(String topic, int recordSize, long records) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Duser.language=en", "-Duser.country=US", "-cp", classpath, MAIN,
                "--topic", topic, "--num-records", Long.toString(records), "--record-size",
                Integer.toString(recordSize), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Total total = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.contains("records sent")) {
                    System.err.println("producer-perf: " + line);
                    Total parsed = parse(line);
                    if (parsed != null) {
                        total = parsed;
                    }
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || total == null) {
            throw new IllegalStateException(MAIN + " exited with " + exit + " without its closing line");
        }
        return total;
    }
}
