package dev.omni.inventory;

import dev.omni.inventory.location.Location;
import dev.omni.inventory.location.LocationType;
import dev.omni.platform.sql.NativeSql;
import dev.omni.testing.ServiceInfraResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.session.ReactiveConnectionSupplier;
import org.hibernate.reactive.session.ReactiveQueryProducer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link NativeSql} on the session's connection: no plans piling up in Hibernate's cache, parameters (arrays too)
 * converted, writes applied at once.
 */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class NativeSqlTest {

    private static final String BY_ID = "SELECT id, name, pickup_enabled FROM location WHERE id = ?1";

    @Inject
    NativeSql sql;

    @Test
    void aRepeatedStatementDoesNotFillHibernatesPlanCache() {
        int before = cachedPlans();
        for (int i = 0; i < 50; i++) {
            String id = "NO-SUCH-" + i;
            assertThat(await(() -> Panache.withSession(() -> sql.rows(BY_ID, id)))).isEmpty();
        }
        // Hibernate Reactive 3.1 added a plan per execution of a native query (50 here), never finding one again
        assertThat(cachedPlans() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void instantsAndEnumsAreBoundAsPostgreSqlTakesThem() {
        String id = "NATIVE-" + UUID.randomUUID();
        await(() -> Panache.withTransaction(() -> location(id).persist()));

        List<Object[]> rows = await(() -> Panache.withSession(() -> sql.rows(
                "SELECT count(*) FROM location WHERE id = ?1 AND created_at < ?2 AND type = ?3", id,
                Instant.now().plusSeconds(60), LocationType.STORE)));

        assertThat(NativeSql.integer(rows.get(0)[0])).isEqualTo(1);
    }

    @Test
    void arraysAreBoundAsPostgreSqlArraysNullsIncluded() {
        Instant now = Instant.parse("2026-11-23T10:15:30.123456Z");
        List<Object[]> rows = await(() -> Panache.withSession(() -> sql.rows(
                "SELECT t.name, t.at, t.type FROM unnest(?1::text[], ?2::timestamptz[], ?3::text[]) AS t(name, at, type)"
                        + " ORDER BY t.name",
                new String[] {"a", "b"}, new Instant[] {now, null}, new LocationType[] {null, LocationType.WAREHOUSE})));

        assertThat(rows).hasSize(2);
        assertThat(((java.time.OffsetDateTime) rows.get(0)[1]).toInstant()).isEqualTo(now);
        assertThat(rows.get(0)[2]).isNull();
        assertThat(rows.get(1)[1]).isNull();
        assertThat(rows.get(1)[2]).isEqualTo("WAREHOUSE");
    }

    @Test
    void writeChangesRowsAtOnceInTheTransactionAndSaysHowMany() {
        String first = "NATIVE-" + UUID.randomUUID();
        String second = "NATIVE-" + UUID.randomUUID();
        await(() -> Panache.withTransaction(() -> location(first).persist().chain(() -> location(second).persist())));

        int changed = await(() -> Panache.withTransaction(() -> sql.write(
                "UPDATE location SET pickup_enabled = false WHERE id = ANY(?1)", (Object) new String[] {first, second,
                        "NO-SUCH"})
                .call(() -> sql.rows("SELECT count(*) FROM location WHERE id = ANY(?1) AND NOT pickup_enabled",
                        (Object) new String[] {first, second}).invoke(rows ->
                        assertThat(NativeSql.integer(rows.get(0)[0])).isEqualTo(2)))));

        assertThat(changed).isEqualTo(2);
        assertThatThrownBy(() -> await(() -> Panache.withSession(() -> sql.write(
                "UPDATE location SET pickup_enabled = true WHERE id IN (?1)", List.of(first)))))
                .hasMessageContaining("arrays, not collections");
    }

    private static Location location(String id) {
        Location location = new Location();
        location.id = id;
        location.name = "Native SQL store";
        location.type = LocationType.STORE;
        location.latitude = 48.1;
        location.longitude = 11.5;
        location.timeZone = "Europe/Berlin";
        location.pickupEnabled = true;
        location.openingHours = Map.of("MONDAY", "10:00-20:00");
        location.createdAt = Instant.now();
        location.updatedAt = location.createdAt;
        return location;
    }

    private static int cachedPlans() {
        return await(() -> Panache.withSession(() -> Panache.getSession().map(session -> ((ReactiveQueryProducer)
                ((MutinySessionImpl) session).unwrap(ReactiveConnectionSupplier.class)).getFactory().getQueryEngine()
                .getInterpretationCache().getNumberOfCachedQueryPlans())));
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
