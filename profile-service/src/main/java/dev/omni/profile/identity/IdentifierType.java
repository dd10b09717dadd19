package dev.omni.profile.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The identifier types a profile can be found by, each with its normalisation. */
public enum IdentifierType {
    ANONYMOUS_ID("anonymousId"),
    USER_ID("userId"),
    EMAIL("email"),
    PHONE("phone"),
    LOYALTY_ID("loyaltyId"),
    PUSH_TOKEN("pushToken"),
    POS_CARD("posCard");

    private static final Pattern EMAIL_SHAPE = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{6,14}$");

    /** The column holds 320 characters: the longest email address. */
    static final int MAX_LENGTH = 320;

    private final String wire;

    IdentifierType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<IdentifierType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(name)).findFirst();
    }

    /**
     * The canonical form of {@code raw} (blocked values are {@link IdentityRules}' business).
     *
     * @throws IllegalArgumentException with a message fit for a problem detail
     */
    String canonical(String raw) {
        String value = raw == null ? "" : raw.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters");
        }
        return switch (this) {
            case EMAIL -> {
                String email = value.toLowerCase(Locale.ROOT);
                if (!EMAIL_SHAPE.matcher(email).matches()) {
                    throw new IllegalArgumentException("not an email address");
                }
                yield email;
            }
            case PHONE -> {
                String phone = value.replaceAll("[\\s().-]", "");
                if (phone.startsWith("00")) {
                    phone = "+" + phone.substring(2);
                }
                if (!E164.matcher(phone).matches()) {
                    throw new IllegalArgumentException("not an E.164 phone number (+ and country code)");
                }
                yield phone;
            }
            default -> value;
        };
    }
}
