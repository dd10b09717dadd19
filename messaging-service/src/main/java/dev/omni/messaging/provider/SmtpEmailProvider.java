package dev.omni.messaging.provider;

import dev.omni.contracts.Channel;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;

import java.time.Duration;

/** Email over SMTP through quarkus-mailer: a multipart message with the HTML and the text part. */
final class SmtpEmailProvider implements ChannelProvider {

    static final String MESSAGE_ID_HEADER = "X-Omni-Message-Id";

    private final String name;
    private final ReactiveMailer mailer;
    private final Duration timeout;

    SmtpEmailProvider(String name, ReactiveMailer mailer, Duration timeout) {
        this.name = name;
        this.mailer = mailer;
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
        Mail mail = new Mail().addTo(message.recipient()).setSubject(message.subject()).setText(message.text())
                .addHeader(MESSAGE_ID_HEADER, message.messageId().toString());
        if (message.html() != null) {
            mail.setHtml(message.html());
        }
        return HttpFailures.guard(name, timeout, mailer.send(mail)).replaceWith(message.messageId().toString());
    }
}
