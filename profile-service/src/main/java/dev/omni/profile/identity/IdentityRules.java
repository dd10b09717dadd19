package dev.omni.profile.identity;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Normalises identifiers and applies the configured guards; the configuration is checked at start-up. */
@ApplicationScoped
public class IdentityRules {

    private final Map<IdentifierType, Integer> rank = new EnumMap<>(IdentifierType.class);
    private final Map<IdentifierType, Integer> limits = new EnumMap<>(IdentifierType.class);
    private final Set<String> blocked;

    public IdentityRules(IdentityConfig config) {
        List<String> priority = config.priority();
        for (String name : priority) {
            IdentifierType type = IdentifierType.fromWire(name).orElseThrow(() -> new IllegalStateException(
                    "omni.identity.priority: unknown identifier type " + name));
            if (rank.putIfAbsent(type, rank.size()) != null) {
                throw new IllegalStateException("omni.identity.priority lists " + name + " twice");
            }
        }
        if (rank.size() != IdentifierType.values().length) {
            throw new IllegalStateException("omni.identity.priority must list every identifier type: "
                    + Arrays.stream(IdentifierType.values()).map(IdentifierType::wire).collect(Collectors.joining(",")));
        }
        config.limits().forEach((name, limit) -> {
            IdentifierType type = IdentifierType.fromWire(name).orElseThrow(() -> new IllegalStateException(
                    "omni.identity.limits: unknown identifier type " + name));
            if (limit < 1) {
                throw new IllegalStateException("omni.identity.limits." + name + " must be at least 1");
            }
            limits.put(type, limit);
        });
        blocked = config.blockedValues().stream().map(v -> v.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The canonical form of {@code raw}, or why it cannot identify anyone.
     *
     * @throws IllegalArgumentException with a message fit for a problem detail
     */
    public String normalise(IdentifierType type, String raw) {
        if (raw != null && blocked.contains(raw.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + raw.trim() + "' is a blocked value: it does not identify anyone");
        }
        String value = type.canonical(raw);
        if (blocked.contains(value.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + value + "' is a blocked value: it does not identify anyone");
        }
        return value;
    }

    /** 0 for the strongest type. */
    public int rank(IdentifierType type) {
        return rank.get(type);
    }

    /** How many identifiers of {@code type} one profile may hold. */
    public int limit(IdentifierType type) {
        return limits.getOrDefault(type, Integer.MAX_VALUE);
    }
}
