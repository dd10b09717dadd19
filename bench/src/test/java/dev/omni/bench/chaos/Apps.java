package dev.omni.bench.chaos;

import java.nio.file.Path;

/** Where the chaos tests find the services' packaged apps: the reactor's modules, or {@code -Dchaos.apps=DIR}. */
final class Apps {

    private Apps() {
    }

    static Path jar(String module) {
        return Path.of(System.getProperty("chaos.apps", ".."), module, "target", "quarkus-app", "quarkus-run.jar");
    }
}
