package dev.omni.gateway.segment;

import dev.omni.contracts.Channel;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The configured Segment sources by write key; a wrong channel or a key used twice stops the start. */
@ApplicationScoped
public class SegmentSources {

    /** A known write key: the source's name and the channel its events are recorded on. */
    public record Source(String name, Channel channel) {
    }

    private final Map<String, Source> byWriteKey = new HashMap<>();

    public SegmentSources(SegmentConfig config) {
        config.sources().forEach((name, source) -> {
            Channel channel;
            try {
                channel = Channel.fromWire(source.channel().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("omni.gateway.segment.sources." + name + ".channel: '"
                        + source.channel() + "' is not an Omni channel", e);
            }
            String key = source.writeKey().trim();
            if (key.isEmpty()) {
                throw new IllegalStateException("omni.gateway.segment.sources." + name + ".write-key is blank");
            }
            if (byWriteKey.putIfAbsent(key, new Source(name, channel)) != null) {
                throw new IllegalStateException("omni.gateway.segment.sources." + name
                        + ".write-key is also the key of source " + byWriteKey.get(key).name());
            }
        });
    }

    public Optional<Source> of(String writeKey) {
        if (writeKey == null || writeKey.isEmpty()) {
            return Optional.empty();
        }
        // compare in constant time, so a caller cannot find a key by timing the answers
        byte[] offered = writeKey.getBytes(StandardCharsets.UTF_8);
        Source found = null;
        for (Map.Entry<String, Source> known : byWriteKey.entrySet()) {
            if (MessageDigest.isEqual(offered, known.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = known.getValue();
            }
        }
        return Optional.ofNullable(found);
    }
}
