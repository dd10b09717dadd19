package dev.omni.bench.messaging;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same mails through the SMTP client messaging-service sends with (Vert.x's {@code MailClient}, which
 * quarkus-mailer wraps), pooled and kept alive like messaging's pool, and nothing else: no key, guard, template,
 * record or event, on one event loop. What the mail library alone costs on this machine, beside {@link RawSmtp}'s
 * plain SMTP. It sends the mails twice and times the second pass: the first compiles the client's code, as
 * messaging's warm-up does.
 */
final class VertxMailFloor {

    private final String host;
    private final int port;

    VertxMailFloor(String host, int port) {
        this.host = host;
        this.port = port;
    }

    RawSmtp.Result send(List<String> addresses, List<String> ids, int pool, int inFlight, Map<String, String> sample)
            throws Exception {
        // one event loop: every connection and callback on one thread, the client's cheapest arrangement
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            MailClient client = MailClient.create(vertx, new MailConfig().setHostname(host).setPort(port)
                    .setMaxPoolSize(pool).setKeepAlive(true).setStarttls(StartTLSOptions.DISABLED));
            pass(client, vertx, addresses, ids, "warm-", inFlight, sample);
            RawSmtp.Result timed = pass(client, vertx, addresses, ids, "", inFlight, sample);
            client.close();
            return timed;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Sends one mail per id (its header value {@code idPrefix + id}) with {@code inFlight} at once. */
    private static RawSmtp.Result pass(MailClient client, Vertx vertx, List<String> addresses, List<String> ids,
            String idPrefix, int inFlight, Map<String, String> sample) throws InterruptedException {
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore permits = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(ids.size());
        long start = System.nanoTime();
        for (int n = 0; n < ids.size(); n++) {
            permits.acquire();
            String to = addresses.get(n % addresses.size());
            MailMessage mail = new MailMessage().setFrom("Omni <no-reply@omni.local>").setTo(List.of(to))
                    .setSubject(sample.getOrDefault("subject", "Your order is confirmed"))
                    .setText(sample.getOrDefault("text", "")).setHtml(sample.getOrDefault("html", ""))
                    .setHeaders(MultiMap.caseInsensitiveMultiMap().add(SmtpSink.ID_HEADER, idPrefix + ids.get(n)));
            vertx.runOnContext(ignored -> client.sendMail(mail).onComplete(result -> {
                (result.succeeded() ? sent : failed).incrementAndGet();
                permits.release();
                done.countDown();
            }));
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the Vert.x mail client did not finish within 5 minutes");
        }
        return new RawSmtp.Result(sent.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start));
    }
}
