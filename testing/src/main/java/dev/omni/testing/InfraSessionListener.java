package dev.omni.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the shared PostgreSQL when the test run ends, so no server outlives the build. */
public class InfraSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        PostgresServer.stopShared();
    }
}
