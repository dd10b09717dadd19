package dev.omni.inventory;

import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;

public final class Responses {

    private Responses() {
    }

    /** 201 with {@code Location: path} and the created resource as the body. */
    public static <T> RestResponse<T> created(String path, T entity) {
        return RestResponse.ResponseBuilder.<T>created(URI.create(path)).entity(entity).build();
    }
}
