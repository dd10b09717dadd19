package dev.omni.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty database for the test class on the JVM's shared PostgreSQL; Flyway migrates it when the
 * application starts, and it is dropped when the class is done. Use with
 * {@code @WithTestResource(value = PostgresResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public Map<String, String> start() {
        PostgresServer server = PostgresServer.shared();
        database = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        server.createDatabase(database);
        String hostPort = server.host() + ":" + server.port() + "/" + database;
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + hostPort,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort,
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        if (database != null) {
            PostgresServer.shared().dropDatabase(database);
        }
    }
}
