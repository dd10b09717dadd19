package dev.omni.bench.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of every event one phase sent: its per-event result from {@code POST /api/events} with the moment the
 * answer arrived, and how many times and when its record showed up on {@code omni.interactions}. Events are named by
 * their messageId, {@code <prefix><batch>-<index>}, so a record is matched to exactly one sent event.
 */
final class Ledger implements BatchLoad.Answers {

    static final byte UNANSWERED = 0;
    static final byte ACCEPTED = 1;
    static final byte DUPLICATE = 2;
    static final byte REJECTED = 3;
    static final byte FAILED = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One batch: when it was due, when its answer arrived, and each event's result and sightings. */
    static final class Batch {
        final long dueNanos;
        long answeredNanos;
        final byte[] status;
        final long[] firstSeenNanos;
        final int[] seen;

        Batch(long dueNanos, int size) {
            this.dueNanos = dueNanos;
            this.status = new byte[size];
            this.firstSeenNanos = new long[size];
            this.seen = new int[size];
        }
    }

    final String prefix;
    private final int batchSize;
    private final Map<Long, Batch> batches = new ConcurrentHashMap<>();
    private final AtomicLong acceptedEvents = new AtomicLong();
    private final AtomicLong acceptedSeen = new AtomicLong();
    private final AtomicLong lastSeenNanos = new AtomicLong();
    private final AtomicLong badAnswers = new AtomicLong();
    private volatile String firstBadAnswer;

    Ledger(String prefix, int batchSize) {
        this.prefix = prefix;
        this.batchSize = batchSize;
    }

    String messageId(long batch, int index) {
        return prefix + batch + "-" + index;
    }

    /** Registers batch {@code seq} before it is sent, so a record that beats the answer still finds it. */
    void sending(long seq, long dueNanos) {
        batches.put(seq, new Batch(dueNanos, batchSize));
    }

    @Override
    public void answered(long seq, int status, String body, long arrivedNanos) {
        Batch batch = batches.get(seq);
        if (status != 202) {
            badAnswer(status + " " + body);
            mark(batch, FAILED, arrivedNanos);
            return;
        }
        JsonNode results;
        try {
            results = JSON.readTree(body).path("results");
        } catch (Exception e) {
            badAnswer("202 with an unreadable body: " + e.getMessage());
            mark(batch, FAILED, arrivedNanos);
            return;
        }
        synchronized (batch) {
            batch.answeredNanos = arrivedNanos;
            for (JsonNode result : results) {
                int index = result.path("index").asInt(-1);
                if (index < 0 || index >= batch.status.length) {
                    badAnswer("result with index " + index);
                    continue;
                }
                byte outcome = switch (result.path("status").asText()) {
                    case "ACCEPTED" -> ACCEPTED;
                    case "DUPLICATE" -> DUPLICATE;
                    case "REJECTED" -> REJECTED;
                    default -> FAILED;
                };
                batch.status[index] = outcome;
                if (outcome == ACCEPTED) {
                    acceptedEvents.incrementAndGet();
                    if (batch.seen[index] > 0) {
                        acceptedSeen.incrementAndGet();
                    }
                } else if (outcome == REJECTED) {
                    badAnswer("event rejected: " + result.path("violations"));
                }
            }
        }
    }

    @Override
    public void failed(long seq, Throwable cause) {
        badAnswer("no answer: " + cause);
    }

    private void mark(Batch batch, byte outcome, long arrivedNanos) {
        synchronized (batch) {
            batch.answeredNanos = arrivedNanos;
            Arrays.fill(batch.status, outcome);
        }
    }

    private void badAnswer(String what) {
        if (badAnswers.getAndIncrement() == 0) {
            firstBadAnswer = what.length() > 300 ? what.substring(0, 300) + "…" : what;
        }
    }

    /** A record on omni.interactions carried {@code messageId} (one of ours: it starts with the prefix). */
    void seen(String messageId, long seenNanos) {
        int dash = messageId.lastIndexOf('-');
        long seq;
        int index;
        try {
            seq = Long.parseLong(messageId.substring(prefix.length(), dash));
            index = Integer.parseInt(messageId.substring(dash + 1));
        } catch (RuntimeException e) {
            return;
        }
        Batch batch = batches.get(seq);
        if (batch == null || index < 0 || index >= batch.seen.length) {
            return;
        }
        synchronized (batch) {
            if (batch.seen[index]++ == 0) {
                batch.firstSeenNanos[index] = seenNanos;
                if (batch.status[index] == ACCEPTED) {
                    acceptedSeen.incrementAndGet();
                }
            }
        }
        lastSeenNanos.accumulateAndGet(seenNanos, Math::max);
    }

    long acceptedEvents() {
        return acceptedEvents.get();
    }

    boolean allAcceptedSeen() {
        return acceptedSeen.get() >= acceptedEvents.get();
    }

    long lastSeenNanos() {
        return lastSeenNanos.get();
    }

    long badAnswers() {
        return badAnswers.get();
    }

    String firstBadAnswer() {
        return firstBadAnswer;
    }

    /**
     * The outcome over every event sent, once the load and the watching are over.
     *
     * @param sent              events sent
     * @param accepted          events answered {@code ACCEPTED}
     * @param unanswered        events whose batch got no 202 in time (failed, timed out or non-202)
     * @param ignored           events answered {@code DUPLICATE} or {@code REJECTED} (none expected: ids are unique)
     * @param lost              accepted events never seen on the topic
     * @param duplicated        accepted events seen more than once
     * @param extraCopies       records beyond the first for those
     * @param publishedIgnored  events answered DUPLICATE/REJECTED whose record still showed up (must be 0)
     * @param publishedUnanswered events without a 202 that were published anyway (the server finished them)
     * @param seenBefore202     accepted events whose record arrived before the batch's 202 did (lag counted as 0)
     * @param lagMicros         accepted and seen: from the 202's arrival to the record's
     * @param fromDueMicros     accepted and seen: from when the batch was due to be sent to the record's arrival
     */
    record Outcome(long sent, long accepted, long unanswered, long ignored, long lost, long duplicated,
            long extraCopies, long publishedIgnored, long publishedUnanswered, long seenBefore202,
            Histogram lagMicros, Histogram fromDueMicros) {

        boolean correct() {
            return lost == 0 && duplicated == 0 && publishedIgnored == 0;
        }
    }

    Outcome outcome() {
        Histogram lag = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        Histogram fromDue = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        long sent = 0, accepted = 0, unanswered = 0, ignored = 0, lost = 0, duplicated = 0, extra = 0;
        long publishedIgnored = 0, publishedUnanswered = 0, before202 = 0;
        for (Batch batch : batches.values()) {
            synchronized (batch) {
                for (int i = 0; i < batch.status.length; i++) {
                    sent++;
                    int seen = batch.seen[i];
                    switch (batch.status[i]) {
                        case ACCEPTED -> {
                            accepted++;
                            if (seen == 0) {
                                lost++;
                                continue;
                            }
                            if (seen > 1) {
                                duplicated++;
                                extra += seen - 1;
                            }
                            long micros = (batch.firstSeenNanos[i] - batch.answeredNanos) / 1000;
                            if (micros < 0) {
                                before202++;
                            }
                            record(lag, Math.max(0, micros));
                            record(fromDue, Math.max(0, (batch.firstSeenNanos[i] - batch.dueNanos) / 1000));
                        }
                        case DUPLICATE, REJECTED -> {
                            ignored++;
                            if (seen > 0) {
                                publishedIgnored++;
                            }
                        }
                        default -> {
                            unanswered++;
                            if (seen > 0) {
                                publishedUnanswered++;
                            }
                        }
                    }
                }
            }
        }
        return new Outcome(sent, accepted, unanswered, ignored, lost, duplicated, extra, publishedIgnored,
                publishedUnanswered, before202, lag, fromDue);
    }

    private static void record(Histogram histogram, long micros) {
        histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
    }
}
