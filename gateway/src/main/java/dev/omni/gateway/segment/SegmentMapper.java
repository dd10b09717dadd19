package dev.omni.gateway.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omni.contracts.Channel;
import dev.omni.gateway.problem.Violation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns Segment HTTP Tracking API messages into the events of profile-service's {@code POST /api/events}, or the list
 * of everything wrong with them. Pure: no I/O, the receiving time is given.
 *
 * <ul>
 * <li>{@code track} → track; the name in Omni's snake_case ({@code Order Completed} → {@code order_completed}), so
 * Segment's e-commerce spec meets Omni's rules (loyalty, recently viewed); {@code properties.revenue}/{@code value}/
 * {@code total} → value, {@code properties.currency} → currency, {@code order_id} → {@code orderId}</li>
 * <li>{@code identify} → identify with {@code traits}; {@code traits.email} and {@code traits.phone} also identify the
 * customer when they are an address and an international number</li>
 * <li>{@code page} → page; {@code screen} → page named {@code screen}; {@code name} and {@code category} go into the
 * properties</li>
 * <li>{@code alias} → identify named {@code alias} with {@code userId} and {@code previousId} as the anonymousId:
 * the visitor's anonymous profile joins the known customer</li>
 * <li>{@code group} → track named {@code group} with {@code groupId} and the group's traits as properties</li>
 * </ul>
 * The channel is the write key's. {@code timestamp} is corrected for the device's clock: timestamp + (receivedAt −
 * sentAt). A message without {@code messageId} gets one. {@code integrations.Omni: false} keeps a message out of
 * Omni.
 */
public final class SegmentMapper {

    public static final Set<String> TYPES = Set.of("track", "identify", "page", "screen", "group", "alias");
    /** profile-service's limits: names and message ids up to 200 characters, identifiers up to 320. */
    static final int MAX_NAME = 200;
    static final int MAX_IDENTIFIER = 320;
    private static final Pattern EMAIL_SHAPE = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{6,14}$");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Za-z]{3}$");
    private static final Pattern NOT_WORD = Pattern.compile("[^a-z0-9]+");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectMapper mapper;
    private final long maxEventBytes;

    public SegmentMapper(ObjectMapper mapper, long maxEventBytes) {
        this.mapper = mapper;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * What a call becomes: the events for profile-service (in order), the index in the call of each, and every
     * violation. Nothing is forwarded unless {@code violations} is empty.
     */
    public record Mapped(List<ObjectNode> events, List<Integer> origins, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    /** {@code /v1/batch} and {@code /v1/import}: {@code {"batch": [...], "sentAt": …, "context": …}}. */
    public Mapped batch(JsonNode root, Channel channel, Instant receivedAt, int maxEvents) {
        List<Violation> violations = new ArrayList<>();
        List<ObjectNode> events = new ArrayList<>();
        List<Integer> origins = new ArrayList<>();
        JsonNode batch = root.get("batch");
        if (batch == null || !batch.isArray()) {
            violations.add(Violation.body("batch", "required: an array of messages"));
            return new Mapped(events, origins, violations);
        }
        if (batch.isEmpty() || batch.size() > maxEvents) {
            violations.add(Violation.body("batch", "holds 1 to " + maxEvents + " messages, not " + batch.size()));
            return new Mapped(events, origins, violations);
        }
        Instant sentAt = instant(root, "sentAt", "sentAt", violations);
        JsonNode sharedContext = root.get("context");
        for (int i = 0; i < batch.size(); i++) {
            String path = "batch[" + i + "].";
            JsonNode message = batch.get(i);
            if (!message.isObject()) {
                violations.add(Violation.body("batch[" + i + "]", "must be a message object"));
                continue;
            }
            int size = size(message);
            if (size > maxEventBytes) {
                violations.add(Violation.body("batch[" + i + "]", "is " + size + " bytes; a message may have at most "
                        + maxEventBytes));
                continue;
            }
            JsonNode typeNode = message.get("type");
            String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
            if (type == null || !TYPES.contains(type)) {
                violations.add(Violation.body(path + "type", "must be one of " + String.join(", ",
                        new java.util.TreeSet<>(TYPES))));
                continue;
            }
            ObjectNode event = message(type, (ObjectNode) message, path, channel, receivedAt, sentAt, sharedContext,
                    violations);
            if (event != null) {
                events.add(event);
                origins.add(i);
            }
        }
        return new Mapped(events, origins, violations);
    }

    /** {@code /v1/track}, {@code /v1/identify}, …: one message; its type is the path's. */
    public Mapped single(String type, JsonNode root, Channel channel, Instant receivedAt) {
        List<Violation> violations = new ArrayList<>();
        ObjectNode event = message(type, (ObjectNode) root, "", channel, receivedAt, null, null, violations);
        return event == null || !violations.isEmpty() ? new Mapped(List.of(), List.of(), violations)
                : new Mapped(List.of(event), List.of(0), violations);
    }

    private ObjectNode message(String type, ObjectNode message, String path, Channel channel, Instant receivedAt,
            Instant batchSentAt, JsonNode sharedContext, List<Violation> violations) {
        int before = violations.size();
        String userId = identifier(message, "userId", path, violations);
        String anonymousId = identifier(message, "anonymousId", path, violations);
        String messageId = text(message, "messageId", path, MAX_NAME, violations);
        Instant timestamp = instant(message, "timestamp", path + "timestamp", violations);
        Instant sentAt = instant(message, "sentAt", path + "sentAt", violations);
        ObjectNode properties = object(message, "properties", path, violations);
        ObjectNode traits = object(message, "traits", path, violations);
        ObjectNode context = object(message, "context", path, violations);
        ObjectNode integrations = object(message, "integrations", path, violations);
        if (context == null && sharedContext != null && sharedContext.isObject()) {
            context = (ObjectNode) sharedContext;
        }

        ObjectNode event = JSON.objectNode();
        ObjectNode identifiers = JSON.objectNode();
        ObjectNode props = properties == null ? JSON.objectNode() : properties.deepCopy();
        switch (type) {
            case "track" -> {
                String name = text(message, "event", path, Integer.MAX_VALUE, violations);
                if (name == null) {
                    violations.add(Violation.body(path + "event", "required for track"));
                } else {
                    String omniName = eventName(name);
                    if (omniName.isEmpty() || omniName.length() > MAX_NAME) {
                        violations.add(Violation.body(path + "event", "must have 1 to " + MAX_NAME
                                + " letters or digits"));
                    }
                    event.put("type", "track").put("event", omniName);
                }
                commerce(props, event);
            }
            case "identify" -> {
                event.put("type", "identify");
                if (traits != null) {
                    event.set("traits", traits.deepCopy());
                    contactIdentifiers(traits, identifiers);
                }
            }
            case "page", "screen" -> {
                event.put("type", "page");
                if ("screen".equals(type)) {
                    event.put("event", "screen");
                }
                String name = text(message, "name", path, Integer.MAX_VALUE, violations);
                String category = text(message, "category", path, Integer.MAX_VALUE, violations);
                if (name != null && !props.has("name")) {
                    props.put("name", name);
                }
                if (category != null && !props.has("category")) {
                    props.put("category", category);
                }
            }
            case "group" -> {
                String groupId = identifier(message, "groupId", path, violations);
                if (groupId == null) {
                    violations.add(Violation.body(path + "groupId", "required for group"));
                }
                event.put("type", "track").put("event", "group");
                props.put("groupId", groupId);
                if (traits != null) {
                    props.set("traits", traits.deepCopy());
                }
            }
            case "alias" -> {
                String previousId = identifier(message, "previousId", path, violations);
                if (previousId == null) {
                    violations.add(Violation.body(path + "previousId", "required for alias"));
                }
                if (userId == null) {
                    violations.add(Violation.body(path + "userId", "required for alias"));
                }
                event.put("type", "identify").put("event", "alias");
                // the previous id is the anonymous visitor's: Omni links that profile to the known user
                anonymousId = previousId;
                props.put("previousId", previousId);
            }
            default -> throw new IllegalArgumentException("not a Segment type: " + type);
        }
        if (userId == null && anonymousId == null && !"alias".equals(type)) {
            violations.add(Violation.body(path + "userId", "userId or anonymousId is required"));
        }
        if (violations.size() > before) {
            return null;
        }
        if (integrations != null && integrations.path("Omni").isBoolean() && !integrations.get("Omni").asBoolean()) {
            return null; // the sender keeps this message away from Omni
        }
        if (userId != null) {
            identifiers.put("userId", userId);
        }
        if (anonymousId != null) {
            identifiers.put("anonymousId", anonymousId);
        }
        event.put("channel", channel.wire());
        event.set("identifiers", reorder(identifiers));
        if (!props.isEmpty()) {
            event.set("properties", props);
        }
        String campaign = context == null ? null : context.path("campaign").path("name").textValue();
        if (campaign != null && !campaign.isBlank() && campaign.length() <= MAX_NAME) {
            event.put("campaign", campaign);
        }
        event.put("timestamp", occurredAt(timestamp, sentAt != null ? sentAt : batchSentAt, receivedAt).toString());
        event.put("messageId", messageId != null ? messageId : "omni-" + UUID.randomUUID());
        return event;
    }

    /**
     * When it happened by the server's clock: the device's clock may be wrong, but the time between its timestamp and
     * its sentAt is right, so timestamp + (receivedAt − sentAt). Without sentAt the timestamp as sent; without
     * timestamp the time received.
     */
    static Instant occurredAt(Instant timestamp, Instant sentAt, Instant receivedAt) {
        if (timestamp == null) {
            return receivedAt;
        }
        if (sentAt == null) {
            return timestamp;
        }
        return timestamp.plus(Duration.between(sentAt, receivedAt));
    }

    /** {@code Order Completed} → {@code order_completed}; {@code checkout-step.viewed} → {@code checkout_step_viewed}. */
    static String eventName(String segmentName) {
        String snake = NOT_WORD.matcher(segmentName.trim().toLowerCase(Locale.ROOT)).replaceAll("_");
        int start = 0;
        int end = snake.length();
        while (start < end && snake.charAt(start) == '_') {
            start++;
        }
        while (end > start && snake.charAt(end - 1) == '_') {
            end--;
        }
        return snake.substring(start, end);
    }

    /** Segment's e-commerce spec in Omni's terms: value, currency and orderId for loyalty and attribution. */
    private static void commerce(ObjectNode props, ObjectNode event) {
        for (String field : List.of("value", "revenue", "total")) {
            JsonNode amount = props.get(field);
            if (amount != null && amount.isNumber()) {
                event.set("value", amount.deepCopy());
                break;
            }
        }
        JsonNode currency = props.get("currency");
        if (currency != null && currency.isTextual() && CURRENCY.matcher(currency.asText()).matches()) {
            event.put("currency", currency.asText().toUpperCase(Locale.ROOT));
        }
        JsonNode orderId = props.get("order_id");
        if (!props.has("orderId") && orderId != null && (orderId.isTextual() || orderId.isNumber())) {
            props.put("orderId", orderId.asText());
        }
    }

    /** An e-mail address and an international phone number among the traits identify the customer too. */
    private static void contactIdentifiers(ObjectNode traits, ObjectNode identifiers) {
        JsonNode email = traits.get("email");
        if (email != null && email.isTextual() && email.asText().trim().length() <= MAX_IDENTIFIER
                && EMAIL_SHAPE.matcher(email.asText().trim()).matches()) {
            identifiers.put("email", email.asText().trim());
        }
        JsonNode phone = traits.get("phone");
        if (phone != null && phone.isTextual()) {
            String digits = phone.asText().replaceAll("[\\s().-]", "");
            if (digits.startsWith("00")) {
                digits = "+" + digits.substring(2);
            }
            if (E164.matcher(digits).matches()) {
                identifiers.put("phone", phone.asText().trim());
            }
        }
    }

    /** userId and anonymousId first, for readability of what is forwarded. */
    private static ObjectNode reorder(ObjectNode identifiers) {
        ObjectNode ordered = JSON.objectNode();
        for (String key : List.of("userId", "anonymousId", "email", "phone")) {
            if (identifiers.has(key)) {
                ordered.set(key, identifiers.get(key));
            }
        }
        return ordered;
    }

    /** An id: a non-blank string or a number (some SDKs send numeric user ids), at most 320 characters. */
    private static String identifier(ObjectNode message, String field, String path, List<Violation> violations) {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            violations.add(Violation.body(path + field, "must be a string"));
            return null;
        }
        String value = node.asText().trim();
        if (value.isEmpty() || value.length() > MAX_IDENTIFIER) {
            violations.add(Violation.body(path + field, "must have 1 to " + MAX_IDENTIFIER + " characters"));
            return null;
        }
        return value;
    }

    private static String text(ObjectNode message, String field, String path, int max, List<Violation> violations) {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            violations.add(Violation.body(path + field, "must be a non-blank string"));
            return null;
        }
        if (node.asText().length() > max) {
            violations.add(Violation.body(path + field, "must have at most " + max + " characters"));
            return null;
        }
        return node.asText();
    }

    private static ObjectNode object(ObjectNode message, String field, String path, List<Violation> violations) {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(Violation.body(path + field, "must be an object"));
            return null;
        }
        return (ObjectNode) node;
    }

    private static Instant instant(JsonNode message, String field, String violationField,
            List<Violation> violations) {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            try {
                return OffsetDateTime.parse(node.asText()).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        violations.add(Violation.body(violationField, "must be an ISO-8601 date and time with an offset, e.g. "
                + "2026-05-01T12:30:00.000Z"));
        return null;
    }

    private int size(JsonNode message) {
        try {
            return mapper.writeValueAsString(message).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The events as one JSON array for {@code POST /api/events}. */
    public static ArrayNode array(List<ObjectNode> events) {
        ArrayNode array = JSON.arrayNode(events.size());
        events.forEach(array::add);
        return array;
    }
}
