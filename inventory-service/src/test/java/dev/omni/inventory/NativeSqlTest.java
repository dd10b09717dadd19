package dev.omni.inventory;

import dev.omni.inventory.location.Location;
import dev.omni.inventory.location.LocationType;
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

/** {@link NativeSql} on the session's connection: no plans piling up in Hibernate's cache, parameters converted. */
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
