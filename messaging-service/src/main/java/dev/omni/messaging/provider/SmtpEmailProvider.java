package dev.omni.messaging.provider;

import dev.omni.contracts.Channel;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Email over SMTP: a multipart message with the HTML and the text part. The provider without a {@code url} sends
 * through quarkus-mailer ({@code quarkus.mailer.*}); one with {@code url=smtp://host:port} has a mail client of its
 * own, so a channel can fail over from one SMTP server to another.
 */
final class SmtpEmailProvider implements ChannelProvider {

    static final String MESSAGE_ID_HEADER = "X-Omni-Message-Id";

    private final String name;
    private final ReactiveMailer mailer;
    /** The provider's own mail client: shared and pooled, or (keep-alive off) one per send, closed after it. */
    private final Supplier<MailClient> client;
    private final boolean clientPerSend;
    private final String from;
    private final Duration timeout;

    /** Through the application's quarkus-mailer. */
    SmtpEmailProvider(String name, ReactiveMailer mailer, Duration timeout) {
        this.name = name;
        this.mailer = mailer;
        this.client = null;
        this.clientPerSend = false;
        this.from = null;
        this.timeout = timeout;
    }

    /**
     * Through a mail client of its own, to another SMTP server; {@code clientPerSend}: a new client (and connection)
     * for every send, so nothing of an earlier conversation — a connection the server dropped — carries over.
     */
    SmtpEmailProvider(String name, Supplier<MailClient> client, boolean clientPerSend, String from, Duration timeout) {
        this.name = name;
        this.mailer = null;
        this.client = client;
        this.clientPerSend = clientPerSend;
        this.from = from;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public String protocol() {
        return "smtp";
    }

    @Override
    public Uni<String> send(Outbound message) {
        Uni<Void> sent = client == null ? viaMailer(message) : viaClient(message);
        Uni<Void> classified = sent.onFailure(SmtpEmailProvider::smtpReply).transform(failure -> {
            SMTPException reply = (SMTPException) smtpReplyOf(failure);
            return new ProviderException(name + " answered SMTP " + reply.getReplyCode() + " "
                    + reply.getReplyMessage(), reply.getReplyCode(), failure, reply.isTransient());
        });
        return HttpFailures.guard(name, timeout, classified).replaceWith(message.messageId().toString());
    }

    private Uni<Void> viaMailer(Outbound message) {
        Mail mail = new Mail().addTo(message.recipient()).setSubject(message.subject()).setText(message.text())
                .addHeader(MESSAGE_ID_HEADER, message.messageId().toString());
        if (message.html() != null) {
            mail.setHtml(message.html());
        }
        return mailer.send(mail);
    }

    private Uni<Void> viaClient(Outbound message) {
        MailMessage mail = new MailMessage().setFrom(from).setTo(List.of(message.recipient()))
                .setSubject(message.subject()).setText(message.text()).setHtml(message.html())
                .setHeaders(MultiMap.caseInsensitiveMultiMap().add(MESSAGE_ID_HEADER, message.messageId().toString()));
        return Uni.createFrom().deferred(() -> {
            MailClient sender = client.get();
            Uni<Void> sent = Uni.createFrom().completionStage(() -> sender.sendMail(mail).toCompletionStage())
                    .replaceWithVoid();
            return clientPerSend
                    ? sent.onTermination().call(() -> Uni.createFrom().completionStage(() -> sender.close()
                            .toCompletionStage()).onFailure().recoverWithNull())
                    : sent;
        });
    }

    private static boolean smtpReply(Throwable failure) {
        return smtpReplyOf(failure) != null;
    }

    private static Throwable smtpReplyOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SMTPException) {
                return t;
            }
        }
        return null;
    }
}
