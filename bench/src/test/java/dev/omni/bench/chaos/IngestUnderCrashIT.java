package dev.omni.bench.chaos;

import dev.omni.testing.KafkaProcess;
import dev.omni.testing.PostgresResource;
import dev.omni.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Issue #8's first reliability story: events are ingested while the profile service and then the broker are
 * {@code kill -9}ed and started again mid-stream; afterwards none is lost and none doubled (see {@link IngestRun}).
 * Size: {@code -Dchaos.events} (5,000 in the test command; {@code bench/chaos/run} uses 100,000).
 */
class IngestUnderCrashIT {

    static final int EVENTS = Integer.getInteger("chaos.events", 5_000);
    static final Duration DRAIN_WITHIN = Duration.ofSeconds(Long.getLong("chaos.drain-seconds", 240));
    static final Path PROFILE_JAR = Apps.jar("profile-service");

    @Test
    void noEventIsLostOrDoubledWhenTheServiceAndTheBrokerCrashMidStream() throws Exception {
        PostgresResource database = new PostgresResource();
        try (KafkaProcess kafka = KafkaProcess.start()) {
            Map<String, String> config = new HashMap<>(database.start());
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            try (ServiceProcess profile = ServiceProcess.start("profile", PROFILE_JAR, config)) {
                IngestRun run = new IngestRun(profile.url(), EVENTS).start();
                run.awaitAnswered(0.3);
                profile.kill();
                System.out.printf("chaos: profile-service killed -9 after %d of %d batches%n", run.answered(),
                        run.batches());
                profile.restart();

                run.awaitAnswered(0.6);
                kafka.kill();
                System.out.printf("chaos: broker killed -9 after %d of %d batches; ingestion goes on%n",
                        run.answered(), run.batches());
                Thread.sleep(3000);
                kafka.restart();
                System.out.println("chaos: broker restarted");

                run.finish();
                run.assertEveryEventPublishedOnce(kafka.bootstrapServers(), DRAIN_WITHIN);
            }
        } finally {
            database.stop();
        }
    }
}
