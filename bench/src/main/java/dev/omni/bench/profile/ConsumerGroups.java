package dev.omni.bench.profile;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the suite's consumer groups of a topic are behind its end: the other services consume
 * {@code omni.interactions} too, and after the closed loop's burst they are still digesting it when the bench's own
 * consumer has seen every record. The lag phase measures the suite at a steady 5,000 events/s, so it starts once they
 * have caught up (or a bounded wait has passed); how long that took is reported.
 */
final class ConsumerGroups implements AutoCloseable {

    private final Admin admin;
    private final String topic;

    ConsumerGroups(String bootstrap, String topic) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.topic = topic;
    }

    /**
     * Records each group with members and committed offsets on the topic has not consumed yet, by group (a group
     * without members — a service that is down, a test's — is not waited for).
     */
    Map<String, Long> lag() throws Exception {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (GroupListing group : admin.listGroups().all().get()) {
            if (group.groupState().filter(state -> state == GroupState.STABLE).isEmpty()) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get()
                    .forEach((partition, offset) -> {
                        if (offset != null && partition.topic().equals(topic)) {
                            offsets.put(partition, offset);
                            partitions.put(partition, OffsetSpec.latest());
                        }
                    });
            if (!offsets.isEmpty()) {
                committed.put(group.groupId(), offsets);
            }
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions).all().get();
        Map<String, Long> lag = new TreeMap<>();
        committed.forEach((group, offsets) -> lag.put(group, offsets.entrySet().stream()
                .mapToLong(e -> Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset())).sum()));
        return lag;
    }

    /**
     * Waits until no group is behind (two checks in a row, a second apart) or {@code max} has passed; the time it
     * waited, or null when some group was still behind at the end.
     */
    Duration awaitCaughtUp(Duration max) throws Exception {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        int quiet = 0;
        Map<String, Long> lag = lag();
        while (System.nanoTime() < deadline) {
            quiet = lag.values().stream().allMatch(n -> n == 0) ? quiet + 1 : 0;
            if (quiet == 2) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(1_000);
            lag = lag();
        }
        System.err.printf("profile-ingest: consumer groups of %s still behind after %d s: %s%n", topic,
                max.toSeconds(), lag);
        return null;
    }

    @Override
    public void close() {
        admin.close();
    }
}
