package dev.omni.messaging.receipt;

import jakarta.ws.rs.core.MultivaluedMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.TreeMap;

/** The signatures providers put on their webhooks. */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    /** Twilio: Base64 HMAC-SHA1 of the URL followed by each POST parameter name and value, sorted by name. */
    public static String twilio(String authToken, String url, MultivaluedMap<String, String> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((name, values) -> values.forEach(value -> data.append(name).append(value)));
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", authToken, data.toString()));
    }

    static boolean validTwilio(String authToken, String url, MultivaluedMap<String, String> form, String signature) {
        return equal(twilio(authToken, url, form), signature);
    }

    /** Meta (WhatsApp Cloud API): {@code sha256=} and the hex HMAC-SHA256 of the raw body with the app secret. */
    public static String hub(String appSecret, String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", appSecret, body));
    }

    static boolean validHub(String appSecret, String body, String signature) {
        return equal(hub(appSecret, body), signature);
    }

    private static byte[] hmac(String algorithm, String key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    private static boolean equal(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
