package dev.omni.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.containers.PostgreSQLContainer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One PostgreSQL server per test JVM; every test class gets a database of its own on it. Stopped when the JUnit
 * launcher session closes ({@link InfraSessionListener}) or, failing that, when the JVM exits.
 */
public abstract class PostgresServer {

    private static PostgresServer shared;

    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = InfraMode.current() == InfraMode.CONTAINERS ? new Container() : new Embedded();
            Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::stopShared, "omni-postgres-stop"));
        }
        return shared;
    }

    static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    public abstract String host();

    public abstract int port();

    public abstract String username();

    public abstract String password();

    abstract Connection adminConnection() throws SQLException;

    abstract void close();

    public void createDatabase(String name) {
        execute("CREATE DATABASE " + name);
    }

    public void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + host() + ":" + port(), e);
        }
    }

    private static final class Embedded extends PostgresServer {
        private final EmbeddedPostgres postgres;

        Embedded() {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("random_page_cost", "1.1")
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("embedded PostgreSQL did not start (as root it needs `unshare -U`)", e);
            }
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return postgres.getPort();
        }

        @Override
        public String username() {
            return "postgres";
        }

        @Override
        public String password() {
            return "postgres";
        }

        @Override
        Connection adminConnection() throws SQLException {
            return postgres.getPostgresDatabase().getConnection();
        }

        @Override
        void close() {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new IllegalStateException("embedded PostgreSQL did not stop", e);
            }
        }
    }

    private static final class Container extends PostgresServer {
        private final PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:17-alpine");

        Container() {
            container.withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300", "-c", "random_page_cost=1.1")
                    .start();
        }

        @Override
        public String host() {
            return container.getHost();
        }

        @Override
        public int port() {
            return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
        }

        @Override
        public String username() {
            return container.getUsername();
        }

        @Override
        public String password() {
            return container.getPassword();
        }

        @Override
        Connection adminConnection() throws SQLException {
            return DriverManager.getConnection(container.getJdbcUrl(), username(), password());
        }

        @Override
        void close() {
            container.stop();
        }
    }
}
