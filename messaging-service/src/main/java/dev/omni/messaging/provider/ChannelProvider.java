package dev.omni.messaging.provider;

import dev.omni.contracts.Channel;
import io.smallrye.mutiny.Uni;

/** One provider of one channel, speaking its wire protocol. */
public interface ChannelProvider {

    /** The configured name, recorded on each message it sends and used in its receipt webhook URL. */
    String name();

    Channel channel();

    /** The protocol's name: smtp, twilio, fcm or whatsapp. */
    String protocol();

    /**
     * Sends one message.
     *
     * @return the provider's id of the message, which its delivery receipts refer to
     */
    Uni<String> send(Outbound message);
}
