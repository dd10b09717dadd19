package dev.omni.messaging.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.messaging.message.MessageStatus;
import dev.omni.messaging.provider.ProviderRegistry;
import dev.omni.messaging.tracking.TrackingLinks;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Delivery receipts per provider, in each provider's own shape: Twilio status callbacks (form, signed with
 * {@code X-Twilio-Signature}), WhatsApp Cloud API webhooks (JSON {@code statuses}, signed with
 * {@code X-Hub-Signature-256}) and, for push, what the app reports ({@code {"id": …, "status": "delivered|read"}},
 * signed like WhatsApp). Signatures are checked when the provider has a {@code webhook-secret}.
 */
@Path("/api/receipts/{provider}")
public class ReceiptResource {

    private final ProviderRegistry providers;
    private final ReceiptService receipts;
    private final TrackingLinks links;
    private final ObjectMapper mapper;

    public ReceiptResource(ProviderRegistry providers, ReceiptService receipts, TrackingLinks links,
            ObjectMapper mapper) {
        this.providers = providers;
        this.receipts = receipts;
        this.links = links;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> twilio(@PathParam("provider") String provider, MultivaluedMap<String, String> form,
            @HeaderParam("X-Twilio-Signature") String signature) {
        String protocol = protocol(provider);
        if (!"twilio".equals(protocol)) {
            throw Problems.badRequest(new Violation("Content-Type", "header", provider + " sends JSON receipts"));
        }
        secret(provider).ifPresent(secret -> {
            String url = links.receiptUrl(provider).toString();
            if (!WebhookSignatures.validTwilio(secret, url, form, signature)) {
                throw unauthorized();
            }
        });
        String sid = form.getFirst("MessageSid");
        if (sid == null) {
            throw Problems.badRequest(Violation.body("MessageSid", "required"));
        }
        return apply(provider, List.of(new Receipt(sid, status(form.getFirst("MessageStatus")))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> json(@PathParam("provider") String provider, String body,
            @HeaderParam("X-Hub-Signature-256") String signature) {
        String protocol = protocol(provider);
        secret(provider).ifPresent(secret -> {
            if (!WebhookSignatures.validHub(secret, body, signature)) {
                throw unauthorized();
            }
        });
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (Exception e) {
            throw Problems.badRequest(Violation.body("body", "not JSON"));
        }
        List<Receipt> found = new ArrayList<>();
        if ("whatsapp".equals(protocol)) {
            for (JsonNode entry : root.path("entry")) {
                for (JsonNode change : entry.path("changes")) {
                    for (JsonNode status : change.path("value").path("statuses")) {
                        found.add(new Receipt(status.path("id").asText(null), status(status.path("status").asText(null))));
                    }
                }
            }
        } else {
            found.add(new Receipt(root.path("id").asText(null), status(root.path("status").asText(null))));
        }
        if (found.stream().anyMatch(r -> r.id() == null)) {
            throw Problems.badRequest(Violation.body("id", "every receipt names the provider's message id"));
        }
        return apply(provider, found);
    }

    private record Receipt(String id, MessageStatus status) {
    }

    private Uni<Response> apply(String provider, List<Receipt> found) {
        return Multi.createFrom().iterable(found)
                .filter(receipt -> receipt.status() != null)
                .onItem().transformToUniAndConcatenate(receipt -> receipts.apply(provider, receipt.id(), receipt.status()))
                .collect().asList()
                .map(applied -> Response.ok(Map.of("received", found.size(),
                        "applied", applied.stream().filter(Boolean::booleanValue).count())).build());
    }

    private String protocol(String provider) {
        return providers.named(provider).map(p -> p.protocol())
                .orElseThrow(() -> Problems.notFound("no provider " + provider));
    }

    private Optional<String> secret(String provider) {
        return providers.config(provider).webhookSecret();
    }

    /** Provider statuses that matter to us; the rest (queued, sent, accepted) change nothing. */
    private static MessageStatus status(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "delivered" -> MessageStatus.DELIVERED;
            case "read", "opened" -> MessageStatus.OPENED;
            case "undelivered", "failed" -> MessageStatus.FAILED;
            default -> null;
        };
    }

    private static HttpProblem unauthorized() {
        return HttpProblem.builder().withStatus(Response.Status.UNAUTHORIZED).withTitle("Unauthorized")
                .withDetail("the receipt's signature does not match the provider's webhook secret").build();
    }
}
