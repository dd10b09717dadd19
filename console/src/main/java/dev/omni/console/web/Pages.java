package dev.omni.console.web;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The start page: what the logged-in person may open. */
@Path("/")
public class Pages {

    @Inject
    @Location("home.html")
    Template home;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String home() {
        return home.render();
    }
}
