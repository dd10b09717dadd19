package dev.omni.profile.tx;

import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures leave an accepted event in the log for later (connection lost) and which are the event's own. */
class TransactionsTest {

    @Test
    void aClosedConnectionIsLostEvenWhenTheRollbackFailedToo() {
        assertThat(Transactions.isConnectionLost(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(Transactions.isConnectionLost(new CompletionException(new CompositeException(
                new IllegalStateException("rollback failed"), ClosedConnectionException.INSTANCE)))).isTrue();
        assertThat(Transactions.isConnectionLost(new PgException("terminating connection", "FATAL", "57P01", null)))
                .isTrue();
        assertThat(Transactions.isConnectionLost(new PgException("connection failure", "FATAL", "08006", null)))
                .isTrue();
    }

    @Test
    void aFailureOfTheWorkItselfIsNot() {
        assertThat(Transactions.isConnectionLost(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
        assertThat(Transactions.isConnectionLost(new PgException("invalid byte sequence", "ERROR", "22021", null)))
                .isFalse();
        assertThat(Transactions.isConnectionLost(new IllegalArgumentException("no such identifier type"))).isFalse();
    }
}
