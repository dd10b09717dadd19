package dev.omni.bench.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000;

    private final Ledger ledger = new Ledger("pi-run-t-", 3);

    @Test
    void countsLostDuplicatedAndLagPerAcceptedEvent() {
        ledger.sending(0, 0);
        ledger.seen("pi-run-t-0-0", 90 * MS);
        ledger.answered(0, 202, answer("ACCEPTED", "ACCEPTED", "ACCEPTED"), 100 * MS);
        ledger.seen("pi-run-t-0-1", 400 * MS);
        ledger.seen("pi-run-t-0-1", 450 * MS);
        assertThat(ledger.allAcceptedSeen()).isFalse();

        Ledger.Outcome outcome = ledger.outcome();

        assertThat(outcome.sent()).isEqualTo(3);
        assertThat(outcome.accepted()).isEqualTo(3);
        assertThat(outcome.lost()).isEqualTo(1);
        assertThat(outcome.duplicated()).isEqualTo(1);
        assertThat(outcome.extraCopies()).isEqualTo(1);
        assertThat(outcome.seenBefore202()).isEqualTo(1);
        assertThat(outcome.lagMicros().getTotalCount()).isEqualTo(2);
        assertThat(outcome.lagMicros().getMaxValue() / 1000).isBetween(299L, 301L);
        assertThat(outcome.fromDueMicros().getMaxValue() / 1000).isBetween(399L, 401L);
        assertThat(outcome.correct()).isFalse();
    }

    @Test
    void allSeenOnceIsCorrectWhicheverArrivesFirst() {
        ledger.sending(7, 0);
        ledger.seen("pi-run-t-7-2", 5 * MS);
        ledger.answered(7, 202, answer("ACCEPTED", "ACCEPTED", "ACCEPTED"), 10 * MS);
        ledger.seen("pi-run-t-7-0", 20 * MS);
        ledger.seen("pi-run-t-7-1", 30 * MS);
        ledger.seen("pi-other-t-7-1", 30 * MS);

        assertThat(ledger.allAcceptedSeen()).isTrue();
        assertThat(ledger.outcome().correct()).isTrue();
        assertThat(ledger.badAnswers()).isZero();
    }

    @Test
    void anIgnoredEventThatIsPublishedIsAFailureAndAnUnansweredOneIsNot() {
        ledger.sending(0, 0);
        ledger.sending(1, 0);
        ledger.answered(0, 202, answer("ACCEPTED", "DUPLICATE", "REJECTED"), MS);
        ledger.seen("pi-run-t-0-0", 2 * MS);
        ledger.seen("pi-run-t-0-1", 2 * MS);
        ledger.failed(1, new RuntimeException("reset"));
        ledger.seen("pi-run-t-1-0", 2 * MS);

        Ledger.Outcome outcome = ledger.outcome();

        assertThat(outcome.ignored()).isEqualTo(2);
        assertThat(outcome.publishedIgnored()).isEqualTo(1);
        assertThat(outcome.unanswered()).isEqualTo(3);
        assertThat(outcome.publishedUnanswered()).isEqualTo(1);
        assertThat(outcome.correct()).isFalse();
        assertThat(ledger.badAnswers()).isEqualTo(2);
    }

    @Test
    void aNon202AnswerLeavesTheBatchUnaccepted() {
        ledger.sending(0, 0);
        ledger.answered(0, 500, "{\"title\":\"boom\"}", MS);

        assertThat(ledger.outcome().unanswered()).isEqualTo(3);
        assertThat(ledger.firstBadAnswer()).contains("500").contains("boom");
    }

    @Test
    void batchesCarryUniqueMessageIdsTheWatcherFindsInTheRecord() throws Exception {
        EventBatches batches = new EventBatches("pi-run-v", 3, 2);
        Set<String> ids = new HashSet<>();
        for (long seq = 0; seq < 4; seq++) {
            JsonNode batch = JSON.readTree(batches.batch(ledger, seq, 0));
            assertThat(batch).hasSize(3);
            for (JsonNode event : batch) {
                assertThat(event.path("type").asText()).isIn("page", "track");
                assertThat(event.path("identifiers").path("anonymousId").asText()).isIn("pi-run-v0", "pi-run-v1");
                ids.add(event.path("messageId").asText());
            }
        }
        assertThat(ids).hasSize(12).contains("pi-run-t-3-2");

        String record = "{\"specversion\":\"1.0\",\"data\":{\"profileId\":\"p\","
                + "\"messageId\":\"pi-run-t-3-2\",\"kind\":\"page\"}}";
        assertThat(InteractionWatcher.messageId(record, "pi-run-")).isEqualTo("pi-run-t-3-2");
        assertThat(InteractionWatcher.messageId(record, "pi-other-")).isNull();
    }

    private static String answer(String... statuses) {
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < statuses.length; i++) {
            results.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"status\":\"")
                    .append(statuses[i]).append("\"}");
        }
        return "{\"accepted\":1,\"results\":[" + results + "]}";
    }
}
