package dev.omni.messaging.tracking;

import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.template.Rendered;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open pixels and click links signed with HMAC-SHA256 over the message id (and the target URL), so a link cannot
 * be pointed at another message or another site.
 */
@ApplicationScoped
public class TrackingLinks {

    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*\"(https?://[^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+");

    private final String links;
    private final String receipts;
    private final SecretKeySpec key;

    public TrackingLinks(MessagingConfig config) {
        String url = withoutTrailingSlash(config.tracking().baseUrl().toString());
        this.links = url + withoutTrailingSlash(config.tracking().linksPath());
        this.receipts = url + withoutTrailingSlash(config.tracking().receiptsPath());
        this.key = new SecretKeySpec(config.tracking().secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String openPixel(UUID messageId) {
        return links + "/o/" + messageId + "?s=" + sign("open|" + messageId);
    }

    public String click(UUID messageId, String url) {
        return links + "/c/" + messageId + "?u=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + "&s="
                + sign("click|" + messageId + "|" + url);
    }

    /**
     * Where {@code provider} posts its delivery receipts, as the provider sees it (Twilio signs this URL, so it must
     * be the public one, the gateway's when the gateway is in front).
     */
    public URI receiptUrl(String provider) {
        return URI.create(receipts + "/" + URLEncoder.encode(provider, StandardCharsets.UTF_8));
    }

    public boolean validOpen(UUID messageId, String signature) {
        return matches(sign("open|" + messageId), signature);
    }

    public boolean validClick(UUID messageId, String url, String signature) {
        return matches(sign("click|" + messageId + "|" + url), signature);
    }

    /** Routes every link through the click redirect and adds the open pixel to the HTML part. */
    public Rendered track(UUID messageId, Rendered rendered) {
        String text = rewrite(URL.matcher(rendered.text()), messageId, false);
        String html = rendered.html();
        if (html != null) {
            html = rewrite(HREF.matcher(html), messageId, true);
            String pixel = "<img src=\"" + openPixel(messageId).replace("&", "&amp;")
                    + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
            int body = html.toLowerCase().lastIndexOf("</body>");
            html = body >= 0 ? html.substring(0, body) + pixel + html.substring(body) : html + pixel;
        }
        return new Rendered(rendered.subject(), text, html);
    }

    private String rewrite(Matcher matcher, UUID messageId, boolean html) {
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String found = html ? matcher.group(1) : matcher.group();
            String target = html ? found.replace("&amp;", "&") : found;
            String replacement;
            if (target.startsWith(links + "/")) {
                replacement = matcher.group();
            } else {
                String link = click(messageId, target);
                replacement = html ? "href=\"" + link.replace("&", "&amp;") + "\"" : link;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String sign(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String withoutTrailingSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static boolean matches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
