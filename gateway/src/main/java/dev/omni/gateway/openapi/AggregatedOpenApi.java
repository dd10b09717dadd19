package dev.omni.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.omni.gateway.route.Access;
import dev.omni.gateway.route.CustomerAccess;
import dev.omni.gateway.route.Route;
import dev.omni.gateway.route.RouteTable;
import dev.omni.gateway.upstream.Upstream;
import dev.omni.gateway.upstream.UpstreamClient;
import io.quarkus.logging.Log;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.mutiny.Uni;
import io.smallrye.openapi.runtime.io.Format;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /openapi}: the public API of Omni in one document. It is the gateway's own document ({@code /q/openapi}:
 * its endpoints with their schemas), with every operation of the four services that a route of the gateway exposes,
 * copied from the service's {@code /q/openapi} with its parameters, request and response bodies; the services'
 * component schemas come along under the service's name ({@code profile.ProfileView}). Each operation carries the
 * scopes of its route, who among customers may call it, the gateway's own error statuses and
 * {@code x-omni-upstream}. A route of the customer's own data ({@code /api/me/cart/...}) gets the service's
 * {@code /api/profiles/{id}/cart/...} operations without the profile id. Operations no route exposes are left out.
 * The services' documents are fetched again after {@link #REFRESH}; a service that cannot be asked keeps the route
 * table's description of its routes and is named in {@code x-omni-unavailable}.
 */
@ApplicationScoped
public class AggregatedOpenApi {

    public static final String PATH = "/openapi";
    static final Duration REFRESH = Duration.ofSeconds(60);
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final List<String> COMPONENT_SECTIONS = List.of("schemas", "responses", "parameters", "examples",
            "requestBodies", "headers");

    private final OpenApiDocumentService own;
    private final UpstreamClient client;
    private final ObjectMapper mapper;
    private final Map<Upstream, JsonNode> documents = new EnumMap<>(Upstream.class);
    private volatile long fetchedAt;
    private volatile String merged;

    public AggregatedOpenApi(OpenApiDocumentService own, UpstreamClient client, ObjectMapper mapper) {
        this.own = own;
        this.client = client;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::serve);
    }

    void serve(RoutingContext rc) {
        document().subscribe().with(
                json -> rc.response().putHeader("Content-Type", "application/json").end(json),
                rc::fail);
    }

    /** The merged document, made again when the services' documents are older than {@link #REFRESH}. */
    public Uni<String> document() {
        String held = merged;
        if (held != null && System.nanoTime() - fetchedAt < REFRESH.toNanos()) {
            return Uni.createFrom().item(held);
        }
        List<Uni<Void>> fetches = new ArrayList<>();
        for (Upstream upstream : Upstream.values()) {
            fetches.add(client.get(upstream, "/q/openapi?format=json", Map.of())
                    .map(answer -> answer.ok() && isDocument(answer.body()) ? answer.body() : null)
                    .onFailure().recoverWithItem(failure -> {
                        Log.debugf("OpenAPI of %s not fetched: %s", upstream.key(), failure.toString());
                        return null;
                    })
                    .invoke(doc -> {
                        synchronized (documents) {
                            if (doc != null) {
                                documents.put(upstream, doc);
                            } else if (merged == null) {
                                documents.remove(upstream);
                            } // otherwise keep the last good document of a service that is down for a moment
                        }
                    })
                    .replaceWithVoid());
        }
        return Uni.join().all(fetches).andCollectFailures().map(done -> {
            Map<Upstream, JsonNode> current;
            synchronized (documents) {
                current = new EnumMap<>(documents);
            }
            String json = merge(current);
            merged = json;
            fetchedAt = System.nanoTime();
            return json;
        });
    }

    private static boolean isDocument(JsonNode body) {
        return body != null && body.hasNonNull("openapi") && body.path("paths").isObject();
    }

    String merge(Map<Upstream, JsonNode> services) {
        ObjectNode doc;
        try {
            doc = (ObjectNode) mapper.readTree(own.getDocument(Format.JSON));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode paths = child(doc, "paths");
        ObjectNode components = child(doc, "components");
        ArrayNode unavailable = mapper.createArrayNode();
        for (Upstream upstream : Upstream.values()) {
            JsonNode service = services.get(upstream);
            if (service == null) {
                unavailable.add(upstream.key());
                continue;
            }
            removePlaceholders(paths, upstream);
            String prefix = upstream.key() + ".";
            service.path("paths").fields().forEachRemaining(entry -> {
                JsonNode item = entry.getValue();
                item.fields().forEachRemaining(op -> {
                    if (METHODS.contains(op.getKey())) {
                        expose(paths, upstream, prefix, entry.getKey(), item, op.getKey(), op.getValue());
                    }
                });
            });
            JsonNode theirs = service.path("components");
            for (String section : COMPONENT_SECTIONS) {
                theirs.path(section).fields().forEachRemaining(component -> child(components, section)
                        .set(prefix + component.getKey(), prefixRefs(component.getValue().deepCopy(), prefix)));
            }
        }
        sortPaths(doc);
        child(doc, "info").put("description", doc.path("info").path("description").asText()
                + " This document aggregates the gateway's own endpoints and the operations of the services that "
                + "its routes expose; GET /q/openapi describes the gateway alone.");
        doc.set("x-omni-unavailable", unavailable);
        try {
            return mapper.writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The route table's stand-ins for a service's routes, replaced by the service's own operations. */
    private static void removePlaceholders(ObjectNode paths, Upstream upstream) {
        Iterator<Map.Entry<String, JsonNode>> items = paths.fields();
        while (items.hasNext()) {
            JsonNode item = items.next().getValue();
            Iterator<Map.Entry<String, JsonNode>> ops = item.fields();
            while (ops.hasNext()) {
                JsonNode op = ops.next().getValue();
                if (upstream.key().equals(op.path(RouteTableDocument.UPSTREAM).asText(null))) {
                    ops.remove();
                }
            }
            if (!item.fields().hasNext()) {
                items.remove();
            }
        }
    }

    private void expose(ObjectNode paths, Upstream upstream, String prefix, String servicePath, JsonNode item,
            String method, JsonNode operation) {
        String verb = method.toUpperCase(Locale.ROOT);
        Optional<Route> direct = RouteTable.OMNI.match(verb, servicePath).map(RouteTable.RouteMatch::route)
                .filter(route -> route.upstream().equals(Optional.of(upstream)) && route.servicePrefix() == null);
        direct.ifPresent(route -> child(paths, servicePath).set(method,
                operation(upstream, prefix, route, item, operation, null)));
        for (Route rewriting : RouteTable.OMNI.routes()) {
            if (!rewriting.upstream().equals(Optional.of(upstream))) {
                continue;
            }
            rewriting.gatewayPath(servicePath).ifPresent(gatewayPath -> RouteTable.OMNI.match(verb, gatewayPath)
                    .map(RouteTable.RouteMatch::route).filter(route -> route == rewriting)
                    .ifPresent(route -> child(paths, gatewayPath).set(method,
                            operation(upstream, prefix, route, item, operation, null))));
        }
        if (upstream == Upstream.PROFILE && servicePath.startsWith("/api/profiles/{")) {
            int end = servicePath.indexOf('}');
            String rest = servicePath.substring(end + 1);
            String parameter = servicePath.substring("/api/profiles/{".length(), end);
            if (rest.startsWith("/")) {
                String mine = Route.ME + rest;
                RouteTable.OMNI.match(verb, mine).map(RouteTable.RouteMatch::route)
                        .filter(route -> route.access().customers() == CustomerAccess.SELF
                                && route.upstream().equals(Optional.of(upstream)))
                        .ifPresent(route -> child(paths, mine).set(method,
                                operation(upstream, prefix, route, item, operation, parameter)));
            }
        }
    }

    /** The service's operation as the gateway exposes it; {@code dropParameter}: the profile id /api/me stands for. */
    private ObjectNode operation(Upstream upstream, String prefix, Route route, JsonNode item, JsonNode original,
            String dropParameter) {
        ObjectNode op = (ObjectNode) prefixRefs(original.deepCopy(), prefix);
        ArrayNode parameters = mapper.createArrayNode();
        for (JsonNode shared : item.path("parameters")) {
            parameters.add(prefixRefs(shared.deepCopy(), prefix));
        }
        op.path("parameters").forEach(parameters::add);
        ArrayNode kept = mapper.createArrayNode();
        for (JsonNode parameter : parameters) {
            boolean profileId = dropParameter != null && "path".equals(parameter.path("in").asText())
                    && dropParameter.equals(parameter.path("name").asText());
            if (!profileId) {
                kept.add(parameter);
            }
        }
        if (kept.isEmpty()) {
            op.remove("parameters");
        } else {
            op.set("parameters", kept);
        }
        String id = op.path("operationId").asText(null);
        if (id != null) {
            op.put("operationId", (dropParameter != null ? "me_" : "") + upstream.key() + "_" + id);
        }
        Access access = route.access();
        String who = RouteTableDocument.who(access);
        op.put("description", (op.hasNonNull("description") ? op.get("description").asText() + "\n\n" : "")
                + "Through the gateway to " + upstream.key() + "-service. " + who);
        op.put(RouteTableDocument.UPSTREAM, upstream.key());
        ArrayNode security = mapper.createArrayNode();
        if (!access.open()) {
            ArrayNode scopes = security.addObject().putArray(RouteTableDocument.SECURITY_SCHEME);
            new TreeSet<>(access.scopes()).forEach(scopes::add);
        }
        op.set("security", security);
        ObjectNode responses = child(op, "responses");
        if (!access.open()) {
            responses.putIfAbsent("401", response("no valid token of realm omni"));
            responses.putIfAbsent("403", response(access.customers() == CustomerAccess.OWNER
                    ? "missing scope, or another customer's profile" : "missing scope"));
        }
        responses.putIfAbsent("413", response("request body too large"));
        responses.putIfAbsent("429", response("rate limit reached; see Retry-After and RateLimit-*"));
        responses.putIfAbsent("502", response("the service could not be reached"));
        responses.putIfAbsent("503", response("the service is failing and calls to it are paused; see Retry-After"));
        responses.putIfAbsent("504", response("the service did not answer in time"));
        return op;
    }

    /** The object under {@code name}, made when missing ({@code ObjectNode.with} would read a "/..." name as a pointer). */
    private static ObjectNode child(ObjectNode parent, String name) {
        JsonNode held = parent.get(name);
        return held instanceof ObjectNode object ? object : parent.putObject(name);
    }

    private ObjectNode response(String description) {
        return mapper.createObjectNode().put("description", description);
    }

    /** {@code #/components/schemas/X} → {@code #/components/schemas/<service>.X}, everywhere in {@code node}. */
    static JsonNode prefixRefs(JsonNode node, String prefix) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/")) {
                String[] parts = ref.asText().split("/", 4);
                if (parts.length == 4) {
                    object.set("$ref", TextNode.valueOf("#/components/" + parts[2] + "/" + prefix + parts[3]));
                }
            }
            object.fields().forEachRemaining(field -> prefixRefs(field.getValue(), prefix));
        } else if (node instanceof ArrayNode array) {
            array.forEach(element -> prefixRefs(element, prefix));
        }
        return node;
    }

    private void sortPaths(ObjectNode doc) {
        ObjectNode sorted = mapper.createObjectNode();
        new TreeSet<String>(iterable(doc.path("paths").fieldNames()))
                .forEach(path -> sorted.set(path, doc.path("paths").get(path)));
        doc.set("paths", sorted);
    }

    private static <T> List<T> iterable(Iterator<T> iterator) {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }
}
