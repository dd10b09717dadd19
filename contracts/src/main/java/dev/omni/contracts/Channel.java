package dev.omni.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a customer met the brand. Serialised lower-case ({@code call_centre}). */
public enum Channel {
    WEB, APP, STORE, POS, CALL_CENTRE, EMAIL, SMS, PUSH, CHAT, SOCIAL, AD;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Channel fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
