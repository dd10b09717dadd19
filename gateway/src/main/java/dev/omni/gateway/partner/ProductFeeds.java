package dev.omni.gateway.partner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omni.gateway.upstream.Upstream;
import dev.omni.gateway.upstream.UpstreamClient;
import dev.omni.gateway.upstream.UpstreamClient.Answer;
import dev.omni.gateway.upstream.UpstreamException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A product feed for an ad channel, with live online availability: every sku of inventory-service
 * ({@code GET /api/skus}) with the online availability of its product ({@code GET /api/availability/online}), in the
 * field names and values of the channel's catalogue (Google Merchant Center, Meta catalogue). One item per sku; the
 * product id is {@code item_group_id}. If inventory-service cannot give the availability of some product, the feed
 * fails (502) rather than advertise what may be sold out.
 */
@ApplicationScoped
public class ProductFeeds {

    /** The ad channels a feed is made for, with the names and values their catalogues expect. */
    public enum Channel {
        GOOGLE("in_stock", "out_of_stock"), META("in stock", "out of stock");

        private final String inStock;
        private final String outOfStock;

        Channel(String inStock, String outOfStock) {
            this.inStock = inStock;
            this.outOfStock = outOfStock;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Channel> of(String key) {
            return Arrays.stream(values()).filter(c -> c.key().equals(key)).findFirst();
        }

        public static List<String> keys() {
            return Arrays.stream(values()).map(Channel::key).toList();
        }
    }

    /** The columns of a feed, in order: the fields both catalogues know, under the same names. */
    public static final List<String> FIELDS = List.of("id", "item_group_id", "title", "description", "availability",
            "condition", "price", "link", "image_link", "brand", "size", "color");

    public record Feed(String channel, Instant generatedAt, int products, List<Map<String, Object>> items) {
    }

    private final UpstreamClient client;
    private final PartnersConfig.Feeds config;
    private final Clock clock = Clock.systemUTC();

    public ProductFeeds(UpstreamClient client, PartnersConfig config) {
        this.client = client;
        this.config = config.feeds();
    }

    public Uni<Feed> feed(Channel channel, Map<String, String> headers) {
        return client.get(Upstream.INVENTORY, "/api/skus", headers).chain(answer -> {
            JsonNode skus = expect(answer, "the skus");
            Map<String, List<JsonNode>> byProduct = new TreeMap<>();
            for (JsonNode sku : skus) {
                if (sku.hasNonNull("sku")) {
                    byProduct.computeIfAbsent(sku.path("productId").asText(sku.get("sku").asText()),
                            p -> new ArrayList<>()).add(sku);
                }
            }
            if (byProduct.isEmpty()) {
                return Uni.createFrom().item(new Feed(channel.key(), clock.instant(), 0, List.of()));
            }
            return Multi.createFrom().iterable(byProduct.keySet())
                    .onItem().transformToUni(product -> online(product, headers)).merge(config.concurrency())
                    .collect().asList()
                    .map(found -> {
                        Map<String, Integer> available = new HashMap<>();
                        found.forEach(available::putAll);
                        List<Map<String, Object>> items = new ArrayList<>();
                        byProduct.forEach((product, variants) -> variants.forEach(sku -> items.add(
                                item(channel, product, sku, available.getOrDefault(sku.get("sku").asText(), 0)))));
                        return new Feed(channel.key(), clock.instant(), byProduct.size(), items);
                    });
        });
    }

    /** sku → units available online, for every sku of the product. */
    private Uni<Map<String, Integer>> online(String productId, Map<String, String> headers) {
        String uri = "/api/availability/online?productId=" + URLEncoder.encode(productId, StandardCharsets.UTF_8);
        return client.get(Upstream.INVENTORY, uri, headers).map(answer -> {
            Map<String, Integer> available = new HashMap<>();
            if (answer.status() == 404) {
                return available;
            }
            for (JsonNode sku : expect(answer, "the online availability of " + productId).path("skus")) {
                available.put(sku.path("sku").asText(), sku.path("available").asInt(0));
            }
            return available;
        });
    }

    private Map<String, Object> item(Channel channel, String productId, JsonNode sku, int available) {
        String id = sku.get("sku").asText();
        JsonNode attributes = sku.path("attributes");
        String name = sku.path("name").asText(id);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("item_group_id", productId);
        item.put("title", name);
        item.put("description", text(attributes, "description").orElse(name));
        item.put("availability", available > 0 ? channel.inStock : channel.outOfStock);
        item.put("condition", "new");
        price(attributes).ifPresent(price -> item.put("price", price));
        item.put("link", fill(config.linkTemplate(), productId, id));
        config.imageTemplate().filter(t -> !t.isBlank())
                .ifPresent(template -> item.put("image_link", fill(template, productId, id)));
        item.put("brand", text(attributes, "brand").orElse(config.brand()));
        text(attributes, "size").ifPresent(size -> item.put("size", size));
        text(attributes, "colour").or(() -> text(attributes, "color")).ifPresent(color -> item.put("color", color));
        return item;
    }

    /** {@code attributes.price} (a number) with {@code attributes.currency} or the configured one: "129.90 EUR". */
    private Optional<String> price(JsonNode attributes) {
        return text(attributes, "price").flatMap(raw -> {
            try {
                BigDecimal amount = new BigDecimal(raw.trim()).setScale(2, java.math.RoundingMode.HALF_UP);
                return Optional.of(amount.toPlainString() + " " + text(attributes, "currency").orElse(config.currency()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private String fill(String template, String productId, String sku) {
        String shop = config.shopUrl().endsWith("/") ? config.shopUrl().substring(0, config.shopUrl().length() - 1)
                : config.shopUrl();
        return template.replace("{shopUrl}", shop)
                .replace("{productId}", URLEncoder.encode(productId, StandardCharsets.UTF_8))
                .replace("{sku}", URLEncoder.encode(sku, StandardCharsets.UTF_8));
    }

    private static Optional<String> text(JsonNode attributes, String field) {
        JsonNode value = attributes.get(field);
        return value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank() ? Optional.empty()
                : Optional.of(value.asText());
    }

    /** The feed as tab-separated values with a header line, the upload format both catalogues accept. */
    public static String tsv(Feed feed) {
        StringBuilder out = new StringBuilder(String.join("\t", FIELDS)).append('\n');
        for (Map<String, Object> item : feed.items()) {
            List<String> cells = new ArrayList<>(FIELDS.size());
            for (String field : FIELDS) {
                Object value = item.get(field);
                cells.add(value == null ? "" : value.toString().replaceAll("[\\t\\r\\n]+", " "));
            }
            out.append(String.join("\t", cells)).append('\n');
        }
        return out.toString();
    }

    private static JsonNode expect(Answer answer, String what) {
        if (!answer.ok() || answer.body() == null) {
            throw new UpstreamException(Upstream.INVENTORY, 502,
                    "inventory-service answered " + answer.status() + " for " + what, 0, null);
        }
        return answer.body();
    }
}
