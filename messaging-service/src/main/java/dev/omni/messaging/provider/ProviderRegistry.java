package dev.omni.messaging.provider;

import dev.omni.contracts.Channel;
import dev.omni.messaging.Channels;
import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.tracking.TrackingLinks;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The providers of each channel in failover order, built from {@code omni.messaging.providers.<name>.*}. */
@ApplicationScoped
public class ProviderRegistry {

    private final Map<Channel, List<ChannelProvider>> byChannel = new EnumMap<>(Channel.class);
    private final Map<String, MessagingConfig.Provider> configs;
    private final Map<String, ChannelProvider> byName;
    private final List<MailClient> mailClients = new ArrayList<>();

    public ProviderRegistry(MessagingConfig config, TrackingLinks links, ReactiveMailer mailer, Vertx vertx,
            @ConfigProperty(name = "quarkus.mailer.from") String defaultFrom) {
        this.configs = config.providers();
        List<Map.Entry<String, MessagingConfig.Provider>> ordered = configs.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, MessagingConfig.Provider>>comparingInt(e -> e.getValue().priority())
                        .thenComparing(Map.Entry::getKey))
                .toList();
        for (Map.Entry<String, MessagingConfig.Provider> entry : ordered) {
            ChannelProvider provider = build(entry.getKey(), entry.getValue(), mailer, links, vertx, defaultFrom);
            byChannel.computeIfAbsent(provider.channel(), c -> new ArrayList<>()).add(provider);
        }
        byName = byChannel.values().stream().flatMap(List::stream)
                .collect(Collectors.toUnmodifiableMap(ChannelProvider::name, p -> p));
    }

    public List<ChannelProvider> forChannel(Channel channel) {
        return byChannel.getOrDefault(channel, List.of());
    }

    public Optional<ChannelProvider> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public MessagingConfig.Provider config(String name) {
        return configs.get(name);
    }

    @PreDestroy
    void close() {
        mailClients.forEach(MailClient::close);
    }

    private ChannelProvider build(String name, MessagingConfig.Provider config, ReactiveMailer mailer, TrackingLinks links,
            Vertx vertx, String defaultFrom) {
        Channel channel = Channels.parse(config.channel()).orElseThrow(() -> new IllegalStateException(
                "provider " + name + ": unknown channel '" + config.channel() + "'"));
        ChannelProvider provider = switch (config.protocol()) {
            case "smtp" -> config.url().isEmpty() ? new SmtpEmailProvider(name, mailer, config.timeout())
                    : smtpProvider(name, config, vertx, defaultFrom);
            case "twilio" -> new HttpProviders.Twilio(name, config, client(name, config, TwilioApi.class),
                    links.receiptUrl(name));
            case "fcm" -> new HttpProviders.Fcm(name, config, client(name, config, FcmApi.class));
            case "whatsapp" -> new HttpProviders.WhatsApp(name, config, client(name, config, WhatsAppApi.class));
            default -> throw new IllegalStateException("provider " + name + ": unknown protocol '" + config.protocol()
                    + "' (smtp, twilio, fcm, whatsapp)");
        };
        if (provider.channel() != channel) {
            throw new IllegalStateException("provider " + name + ": " + config.protocol() + " serves "
                    + provider.channel().wire() + ", not " + channel.wire());
        }
        return provider;
    }

    /**
     * An SMTP provider with a mail client of its own. With {@code keep-alive} (the default) one pooled client serves
     * every send; without it each send gets a new client and connection, closed after the send.
     */
    private SmtpEmailProvider smtpProvider(String name, MessagingConfig.Provider config, Vertx vertx,
            String defaultFrom) {
        MailConfig mail = mailConfig(name, config);
        String from = config.sender().orElse(defaultFrom);
        if (config.keepAlive()) {
            MailClient shared = MailClient.create(vertx, mail);
            mailClients.add(shared);
            return new SmtpEmailProvider(name, () -> shared, false, from, config.timeout());
        }
        return new SmtpEmailProvider(name, () -> MailClient.create(vertx, mail), true, from, config.timeout());
    }

    /** {@code url=smtp://host:port}, {@code account}/{@code token} to log in. */
    private static MailConfig mailConfig(String name, MessagingConfig.Provider config) {
        URI url = config.url().orElseThrow();
        if (!"smtp".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalStateException("provider " + name + ": url must be smtp://host:port, not " + url);
        }
        MailConfig mail = new MailConfig().setHostname(url.getHost()).setPort(url.getPort() > 0 ? url.getPort() : 25)
                .setStarttls(StartTLSOptions.OPTIONAL).setKeepAlive(config.keepAlive())
                .setConnectTimeout((int) config.timeout().toMillis());
        config.account().ifPresent(mail::setUsername);
        config.token().ifPresent(mail::setPassword);
        return mail;
    }

    private static <T> T client(String name, MessagingConfig.Provider config, Class<T> api) {
        URI url = config.url().orElseThrow(() -> new IllegalStateException(
                "provider " + name + " needs omni.messaging.providers." + name + ".url"));
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(url)
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(api);
    }
}
