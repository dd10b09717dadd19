package dev.omni.messaging.message;

import java.util.List;

/** The outcome of each message of a batch, in request order; {@code repeated} when its key was already used. */
public record BatchSendResponse(List<Item> messages) {

    public record Item(String idempotencyKey, boolean repeated, MessageView message) {
    }
}
