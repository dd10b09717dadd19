package dev.omni.gateway.availability;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CatchUpTest {

    @Test
    void notCaughtUpBeforeTheTopicsEndIsKnown() {
        CatchUp catchUp = new CatchUp();
        catchUp.applied(0, 10);
        assertThat(catchUp.caughtUp()).isFalse();
        assertThat(catchUp.behind()).isEqualTo(-1);
    }

    @Test
    void caughtUpWhenTheLastRecordBeforeEachEndIsApplied() {
        CatchUp catchUp = new CatchUp();
        catchUp.target(Map.of(0, 100L, 1, 50L, 2, 7L), Map.of(0, 0L, 1, 20L, 2, 7L));
        assertThat(catchUp.behind()).isEqualTo(130);

        catchUp.applied(0, 99);
        catchUp.applied(1, 30);
        assertThat(catchUp.caughtUp()).isFalse();
        assertThat(catchUp.behind()).isEqualTo(19);

        catchUp.applied(1, 49);
        assertThat(catchUp.caughtUp()).as("partition 2 holds nothing (begins where it ends)").isTrue();
    }

    @Test
    void compactionGapsBeforeTheEndDoNotMatter() {
        CatchUp catchUp = new CatchUp();
        catchUp.target(Map.of(0, 1_000L), Map.of(0, 0L));
        catchUp.applied(0, 3);
        catchUp.applied(0, 999);
        assertThat(catchUp.caughtUp()).isTrue();
    }

    @Test
    void onceCaughtUpItStaysSo() {
        CatchUp catchUp = new CatchUp();
        catchUp.target(Map.of(0, 1L), Map.of(0, 0L));
        catchUp.applied(0, 0);
        assertThat(catchUp.caughtUp()).isTrue();
        catchUp.target(Map.of(0, 5_000L), Map.of(0, 0L));
        assertThat(catchUp.caughtUp()).isTrue();
    }

    @Test
    void anEarlierOffsetNeverMovesItBack() {
        CatchUp catchUp = new CatchUp();
        catchUp.target(Map.of(0, 10L), Map.of(0, 0L));
        catchUp.applied(0, 9);
        catchUp.applied(0, 2);
        assertThat(catchUp.caughtUp()).isTrue();
    }
}
