package dev.omni.messaging.contact;

import dev.omni.contracts.Channel;

import java.util.Locale;
import java.util.regex.Pattern;

/** Validates and normalises addresses the way profile-service normalises identifiers (lower-case email, E.164). */
public final class ContactPoints {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{6,14}$");

    private ContactPoints() {
    }

    /**
     * @throws IllegalArgumentException with a message fit for a problem detail
     */
    public static String normalise(Channel channel, String raw) {
        String value = raw == null ? "" : raw.trim();
        return switch (channel) {
            case EMAIL -> {
                String email = value.toLowerCase(Locale.ROOT);
                if (!EMAIL.matcher(email).matches()) {
                    throw new IllegalArgumentException("not an email address");
                }
                yield email;
            }
            case SMS, CHAT -> {
                String phone = value.replaceAll("[\\s().-]", "");
                if (phone.startsWith("00")) {
                    phone = "+" + phone.substring(2);
                }
                if (!E164.matcher(phone).matches()) {
                    throw new IllegalArgumentException("not an E.164 phone number (+ and country code)");
                }
                yield phone;
            }
            case PUSH -> {
                if (value.isEmpty() || value.length() > 4096) {
                    throw new IllegalArgumentException("not a push token");
                }
                yield value;
            }
            default -> throw new IllegalArgumentException("messages are not sent on " + channel.wire());
        };
    }
}
