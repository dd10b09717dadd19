package dev.omni.console.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Every 4xx/5xx of the gateway becomes a {@link GatewayException} carrying its problem+json. */
class ProblemMapper implements ResponseExceptionMapper<GatewayException> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public GatewayException toThrowable(Response response) {
        JsonNode problem = null;
        try {
            response.bufferEntity();
            String body = response.readEntity(String.class);
            if (body != null && !body.isBlank()) {
                problem = JSON.readTree(body);
            }
        } catch (RuntimeException | java.io.IOException notJson) {
            // the status alone still says what happened
        }
        return GatewayException.fromProblem(response.getStatus(), problem);
    }

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }
}
