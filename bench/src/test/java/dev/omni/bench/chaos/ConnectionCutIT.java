package dev.omni.bench.chaos;

import dev.omni.testing.KafkaProcess;
import dev.omni.testing.PostgresResource;
import dev.omni.testing.PostgresServer;
import dev.omni.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #8's network faults: profile-service reaches PostgreSQL and Kafka only through {@link FaultProxy}s, which cut
 * every open connection five times while events are ingested; the pools and clients reconnect and afterwards no
 * event is lost or doubled (see {@link IngestRun}).
 */
class ConnectionCutIT {

    @Test
    void cuttingTheDatabaseAndBrokerConnectionsLosesNothing() throws Exception {
        PostgresResource database = new PostgresResource();
        int kafkaPort = freePort();
        int kafkaProxyPort = freePort();
        try (FaultProxy kafkaProxy = FaultProxy.start(kafkaProxyPort, kafkaPort);
             KafkaProcess kafka = KafkaProcess.start(kafkaPort, kafkaProxyPort);
             FaultProxy postgresProxy = FaultProxy.start(0, PostgresServer.shared().port())) {
            Map<String, String> config = new HashMap<>();
            String direct = PostgresServer.shared().host() + ":" + PostgresServer.shared().port();
            String proxied = "127.0.0.1:" + postgresProxy.port();
            database.start().forEach((key, value) -> config.put(key, value.replace(direct, proxied)));
            assertThat(config.get("quarkus.datasource.reactive.url")).contains(proxied);
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            try (ServiceProcess profile = ServiceProcess.start("profile", IngestUnderCrashIT.PROFILE_JAR, config)) {
                IngestRun run = new IngestRun(profile.url(), IngestUnderCrashIT.EVENTS).start();
                for (int cut = 1; cut <= 5; cut++) {
                    run.awaitAnswered(cut / 6.0);
                    int postgres = postgresProxy.cut();
                    int broker = kafkaProxy.cut();
                    System.out.printf("chaos: cut %d database and %d broker connections after %d of %d batches%n",
                            postgres, broker, run.answered(), run.batches());
                }
                run.finish();
                assertThat(postgresProxy.cutSoFar()).as("database connections cut").isPositive();
                assertThat(kafkaProxy.cutSoFar()).as("broker connections cut").isPositive();
                run.assertEveryEventPublishedOnce(kafka.bootstrapServers(), IngestUnderCrashIT.DRAIN_WITHIN);
            }
        } finally {
            database.stop();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
