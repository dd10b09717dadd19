package dev.omni.testing;

import java.util.Locale;

/**
 * Where test infrastructure comes from: {@code embedded} (default, no Docker: in-process KRaft Kafka, zonky
 * PostgreSQL binaries) or {@code containers} ({@code -Dinfra=containers}: Testcontainers, needs Docker).
 */
public enum InfraMode {
    EMBEDDED, CONTAINERS;

    public static InfraMode current() {
        return valueOf(System.getProperty("infra", "embedded").trim().toUpperCase(Locale.ROOT));
    }
}
