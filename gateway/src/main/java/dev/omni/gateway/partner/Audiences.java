package dev.omni.gateway.partner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.problem.Problems;
import dev.omni.gateway.upstream.Upstream;
import dev.omni.gateway.upstream.UpstreamClient;
import dev.omni.gateway.upstream.UpstreamClient.Answer;
import dev.omni.gateway.upstream.UpstreamException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * A retargeting audience: one page of a segment's members (profile-service), each member's consents and identifiers
 * ({@code GET /api/profiles/{id}}) and, for those with advertising consent, their recently viewed and cart items
 * ({@code GET /api/profiles/{id}/continuity}). Only members whose current decision for the advertising channel and
 * purpose is {@code granted} are in the answer, and only as SHA-256 hashes of their normalised e-mail addresses and
 * phone numbers: no profile id, name or clear identifier leaves the gateway.
 */
@ApplicationScoped
public class Audiences {

    private final UpstreamClient client;
    private final PartnersConfig.Audiences config;

    public Audiences(UpstreamClient client, PartnersConfig config) {
        this.client = client;
        this.config = config.audiences();
    }

    /**
     * @param members  the members of this page with advertising consent and at least one hashed identifier
     * @param next     the {@code after} of the next page, {@code null} on the last page
     * @param excluded members of this page left out, by reason: {@code noConsent}, {@code noEmailOrPhone},
     *                 {@code gone} (erased or merged away since the page was read)
     */
    public record Audience(String segmentId, String consent, List<Member> members, String next, int scanned,
            Map<String, Integer> excluded) {
    }

    /**
     * One member as ad networks match them. Product ids are the {@code id}s of the product feed's items (the sku;
     * the feed's {@code item_group_id} is the product), newest first.
     */
    public record Member(List<String> emailSha256, List<String> phoneSha256, List<String> lastViewedProductIds,
            List<String> inCartProductIds) {
    }

    private enum Verdict { IN, NO_CONSENT, NO_CONTACT, GONE }

    private record Judged(int index, Verdict verdict, Member member) {
    }

    public Uni<Audience> page(String segmentId, String after, int limit, Map<String, String> headers) {
        String segment = enc(segmentId);
        String uri = "/api/segments/" + segment + "/members?limit=" + limit + (after == null ? "" : "&after=" + enc(after));
        return client.get(Upstream.PROFILE, uri, headers).chain(answer -> {
            if (answer.status() == 404) {
                throw Problems.notFound("no segment " + segmentId);
            }
            JsonNode page = expect(answer, "the members of segment " + segmentId);
            List<String> ids = new ArrayList<>();
            page.path("members").forEach(m -> {
                if (m.hasNonNull("profileId")) {
                    ids.add(m.get("profileId").asText());
                }
            });
            String next = page.hasNonNull("next") ? page.get("next").asText() : null;
            if (ids.isEmpty()) {
                return Uni.createFrom().item(audience(segmentId, List.of(), next));
            }
            List<Uni<Judged>> judged = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                judged.add(judge(i, ids.get(i), headers));
            }
            return Multi.createFrom().iterable(judged).onItem().transformToUni(u -> u).merge(config.concurrency())
                    .collect().asList()
                    .map(all -> audience(segmentId, all, next));
        });
    }

    private Audience audience(String segmentId, List<Judged> all, String next) {
        List<Judged> ordered = all.stream().sorted(Comparator.comparingInt(Judged::index)).toList();
        Map<String, Integer> excluded = new java.util.LinkedHashMap<>();
        excluded.put("noConsent", count(ordered, Verdict.NO_CONSENT));
        excluded.put("noEmailOrPhone", count(ordered, Verdict.NO_CONTACT));
        excluded.put("gone", count(ordered, Verdict.GONE));
        return new Audience(segmentId, config.consentChannel() + "/" + config.consentPurpose(),
                ordered.stream().filter(j -> j.verdict() == Verdict.IN).map(Judged::member).toList(), next,
                ordered.size(), excluded);
    }

    private static int count(List<Judged> all, Verdict verdict) {
        return (int) all.stream().filter(j -> j.verdict() == verdict).count();
    }

    private Uni<Judged> judge(int index, String profileId, Map<String, String> headers) {
        String profile = "/api/profiles/" + enc(profileId);
        return client.get(Upstream.PROFILE, profile, headers).chain(answer -> {
            if (answer.status() == 404 || answer.status() == 410) {
                return Uni.createFrom().item(new Judged(index, Verdict.GONE, null));
            }
            JsonNode view = expect(answer, "profile " + profileId);
            if (!consented(view.path("consents"))) {
                return Uni.createFrom().item(new Judged(index, Verdict.NO_CONSENT, null));
            }
            List<String> emails = hashed(view.path("identifiers"), "email");
            List<String> phones = hashed(view.path("identifiers"), "phone");
            if (emails.isEmpty() && phones.isEmpty()) {
                return Uni.createFrom().item(new Judged(index, Verdict.NO_CONTACT, null));
            }
            return client.get(Upstream.PROFILE, profile + "/continuity", headers).map(continuity -> {
                JsonNode lists = continuity.status() == 404 ? null : expect(continuity, "continuity of " + profileId);
                return new Judged(index, Verdict.IN, new Member(emails, phones,
                        skus(lists, "recentlyViewed"), skus(lists, "cart")));
            });
        });
    }

    /** The latest decision for the advertising channel and purpose is a grant. */
    boolean consented(JsonNode consents) {
        Optional<JsonNode> latest = StreamSupport.stream(consents.spliterator(), false)
                .filter(c -> config.consentChannel().equalsIgnoreCase(c.path("channel").asText())
                        && config.consentPurpose().equalsIgnoreCase(c.path("purpose").asText()))
                .max(Comparator.comparing(c -> c.path("changedAt").asText("")));
        return latest.map(c -> "granted".equalsIgnoreCase(c.path("status").asText())).orElse(false);
    }

    private List<String> skus(JsonNode lists, String list) {
        if (lists == null) {
            return List.of();
        }
        Set<String> skus = new LinkedHashSet<>();
        for (JsonNode item : lists.path(list)) {
            if (item.hasNonNull("sku") && skus.size() < config.productsPerMember()) {
                skus.add(item.get("sku").asText());
            }
        }
        return List.copyOf(skus);
    }

    /** SHA-256 (hex) of every identifier of the type, normalised the way ad networks match them. */
    static List<String> hashed(JsonNode identifiers, String type) {
        Set<String> hashes = new LinkedHashSet<>();
        for (JsonNode identifier : identifiers) {
            if (type.equals(identifier.path("type").asText()) && identifier.hasNonNull("value")) {
                String normalised = normalise(type, identifier.get("value").asText());
                if (!normalised.isEmpty()) {
                    hashes.add(sha256(normalised));
                }
            }
        }
        return List.copyOf(hashes);
    }

    /** E-mail: trimmed, lower case. Phone: E.164, {@code +} and digits only (as profile-service stores it). */
    static String normalise(String type, String value) {
        String trimmed = value.trim();
        if ("email".equals(type)) {
            return trimmed.toLowerCase(Locale.ROOT);
        }
        String digits = trimmed.replaceAll("[^0-9]", "");
        if (trimmed.startsWith("00")) {
            digits = digits.substring(2);
        } else if (!trimmed.startsWith("+")) {
            return ""; // no country code: it would match the wrong person or no one
        }
        return digits.isEmpty() ? "" : "+" + digits;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode expect(Answer answer, String what) {
        if (!answer.ok() || answer.body() == null) {
            throw new UpstreamException(Upstream.PROFILE, 502,
                    "profile-service answered " + answer.status() + " for " + what, 0, null);
        }
        return answer.body();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
