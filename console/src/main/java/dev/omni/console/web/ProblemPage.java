package dev.omni.console.web;

import dev.omni.console.gateway.GatewayException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.ForbiddenException;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * Errors shown in words: a refusal or failure of the gateway with its problem+json title, detail and the fields it
 * names; a page the person's roles do not open. htmx requests get the message alone, to put where the part would be.
 */
public class ProblemPage {

    @Inject
    @Location("problem.html")
    Template problem;

    @ServerExceptionMapper
    public Response gateway(GatewayException e, HttpHeaders headers) {
        return render(e.status(), e.title(), e.detail(), e.violations(), headers);
    }

    /** The console's own guard: a call to the gateway took too long, or calls are paused after repeated failures. */
    @ServerExceptionMapper
    public Response faultTolerance(FaultToleranceException e, HttpHeaders headers) {
        String detail = e instanceof CircuitBreakerOpenException
                ? "The gateway failed repeatedly, so the console pauses its calls for a few seconds. Try again shortly."
                : "The gateway did not answer in time. Try again shortly.";
        return render(503, "Data not available right now", detail, List.of(), headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers) {
        return render(403, "Not for your role",
                "Your roles do not open this page or action. Ask an admin for the role it needs.", List.of(), headers);
    }

    private Response render(int status, String title, String detail, List<String> violations, HttpHeaders headers) {
        boolean fragment = headers.getHeaderString("HX-Request") != null;
        String html = problem.data("status", status).data("title", title).data("detail", detail)
                .data("violations", violations).data("fragment", fragment).render();
        // htmx is configured (layout.html, htmx-config) to swap 4xx/5xx answers too: the message replaces the part
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(html).build();
    }
}
