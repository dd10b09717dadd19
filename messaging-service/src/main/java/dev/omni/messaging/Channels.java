package dev.omni.messaging;

import dev.omni.contracts.Channel;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The channels messages go out on. */
public final class Channels {

    public static final Set<Channel> MESSAGING = Set.of(Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.CHAT);

    private Channels() {
    }

    public static Optional<Channel> parse(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        try {
            Channel channel = Channel.fromWire(wire.trim().toLowerCase(Locale.ROOT));
            return MESSAGING.contains(channel) ? Optional.of(channel) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
