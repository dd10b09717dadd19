package dev.omni.console.gateway;

import java.util.List;

/** The gateway was unreachable, timed out, or said its upstream is (502/503/504): worth a retry, counts for the breaker. */
public class GatewayUnavailableException extends GatewayException {

    GatewayUnavailableException(int status, String title, String detail, List<String> violations) {
        super(status, title, detail, violations);
    }
}
