package dev.omni.gateway.openapi;

import dev.omni.gateway.route.Access;
import dev.omni.gateway.route.CustomerAccess;
import dev.omni.gateway.route.Route;
import dev.omni.gateway.route.RouteTable;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Puts the routes the gateway proxies into its OpenAPI document beside its own endpoints: path, methods, the
 * service behind it ({@code x-omni-upstream}), the scopes that open it and who among customers may call it. The
 * request and response bodies are the services' own (see their {@code /q/openapi}).
 */
public class RouteTableDocument implements OASFilter {

    static final String UPSTREAM = "x-omni-upstream";
    static final String SECURITY_SCHEME = "omni";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            openAPI.setPaths(OASFactory.createPaths());
        }
        for (Route route : RouteTable.OMNI.routes()) {
            if (route.local()) {
                continue;
            }
            String path = route.path().template().replace("/**", "");
            PathItem item = openAPI.getPaths().getPathItem(path);
            if (item == null) {
                item = OASFactory.createPathItem();
                openAPI.getPaths().addPathItem(path, item);
            }
            for (String method : new TreeSet<>(route.methods())) {
                item.setOperation(PathItem.HttpMethod.valueOf(method), operation(route, method, path));
            }
        }
    }

    private static Operation operation(Route route, String method, String path) {
        String upstream = route.upstream().orElseThrow().key();
        Access access = route.access();
        StringBuilder description = new StringBuilder("Proxied to ").append(upstream).append("-service");
        if (route.path().hasTail()) {
            description.append(", with every path below it");
        }
        description.append(". ").append(who(access));
        if (!route.summary().isEmpty()) {
            description.append(' ').append(route.summary()).append('.');
        }
        Operation operation = OASFactory.createOperation()
                .operationId(method.toLowerCase(Locale.ROOT) + path.replaceAll("[^A-Za-z0-9]+", "_"))
                .summary(route.summary().isEmpty() ? method + " " + path : route.summary())
                .description(description.toString())
                .addTag(upstream)
                .addExtension(UPSTREAM, upstream)
                .responses(responses(access));
        for (String name : route.path().parameters()) {
            operation.addParameter(OASFactory.createParameter().name(name).in(Parameter.In.PATH).required(true)
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        }
        if (!access.open()) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement()
                    .addScheme(SECURITY_SCHEME, List.copyOf(new TreeSet<>(access.scopes()))));
        }
        return operation;
    }

    static String who(Access access) {
        if (access.open()) {
            return "No token needed.";
        }
        String scopes = access.scopes().isEmpty() ? "no client" : "clients with one of " + new TreeSet<>(access.scopes());
        String customers = switch (access.customers()) {
            case NONE -> "not customers";
            case ANY -> "any customer";
            case OWNER -> "a customer for their own profile only";
            case SELF -> "the customer, for their own data";
        };
        return "Open to " + scopes + "; " + customers + ".";
    }

    private static APIResponses responses(Access access) {
        APIResponses responses = OASFactory.createAPIResponses()
                .addAPIResponse("default", OASFactory.createAPIResponse().description("the service's answer"))
                .addAPIResponse("502", OASFactory.createAPIResponse().description("the service could not be reached"))
                .addAPIResponse("503", OASFactory.createAPIResponse()
                        .description("the service is failing and calls to it are paused (circuit open); see Retry-After"))
                .addAPIResponse("504", OASFactory.createAPIResponse().description("the service did not answer in time"))
                .addAPIResponse("413", OASFactory.createAPIResponse().description("request body too large"))
                .addAPIResponse("429", OASFactory.createAPIResponse()
                        .description("rate limit reached; see Retry-After and RateLimit-*"));
        if (!access.open()) {
            responses.addAPIResponse("401", OASFactory.createAPIResponse().description("no valid token of realm omni"))
                    .addAPIResponse("403", OASFactory.createAPIResponse().description(
                            access.customers() == CustomerAccess.OWNER ? "missing scope, or another customer's profile"
                                    : "missing scope"));
        }
        return responses;
    }
}
