package dev.omni.messaging.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Turns quiet hours off for a test class that moves the clock across nights on purpose. */
public class QuietHoursOff implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("omni.messaging.quiet-hours.enabled", "false");
    }

    @Override
    public void stop() {
    }
}
