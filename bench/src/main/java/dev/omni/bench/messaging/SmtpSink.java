package dev.omni.bench.messaging;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An SMTP server that accepts every mail and keeps only a count per message id: the bench's sink, so that the
 * figure measures the sender, not the sink (GreenMail parses and stores every mail and takes even a bare SMTP client
 * only to about 200 mails/s). It speaks what real clients need — EHLO/HELO, MAIL, RCPT, DATA with dot-stuffing,
 * RSET, NOOP, QUIT — and announces PIPELINING, so a client may send MAIL/RCPT/DATA without waiting. A mail is
 * counted under the value of its {@value #ID_HEADER} header (the id Omni and the baseline put in every mail), so
 * duplicates and losses are checked by id.
 */
public final class SmtpSink implements AutoCloseable {

    static final String ID_HEADER = "X-Omni-Message-Id";
    private static final String ID_PREFIX = ID_HEADER.toLowerCase(Locale.ROOT) + ":";

    private final Vertx vertx;
    private final NetServer server;
    private final Map<String, AtomicLong> byId = new ConcurrentHashMap<>();
    private final LongAdder mails = new LongAdder();
    private final LongAdder withoutId = new LongAdder();
    private final LongAdder connections = new LongAdder();

    private SmtpSink(Vertx vertx, NetServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Listens on {@code port} (0: any free one) of 127.0.0.1 with {@code threads} event loops. */
    public static SmtpSink start(int port, int threads) throws Exception {
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(threads));
        SmtpSink[] sink = new SmtpSink[1];
        NetServer server = vertx.createNetServer(new io.vertx.core.net.NetServerOptions().setTcpNoDelay(true)
                .setHost("127.0.0.1").setPort(port));
        sink[0] = new SmtpSink(vertx, server);
        server.connectHandler(socket -> sink[0].session(socket));
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return sink[0];
    }

    public int port() {
        return server.actualPort();
    }

    /** Mails received in all. */
    public long mails() {
        return mails.sum();
    }

    public long withoutId() {
        return withoutId.sum();
    }

    public long connections() {
        return connections.sum();
    }

    /** How many mails came with this message id. */
    public long count(String id) {
        AtomicLong n = byId.get(id);
        return n == null ? 0 : n.get();
    }

    private void session(NetSocket socket) {
        connections.increment();
        Session session = new Session(socket);
        RecordParser parser = RecordParser.newDelimited("\r\n", session::line);
        socket.handler(parser);
        socket.write("220 omni-bench-sink ESMTP\r\n");
    }

    /** One connection: a command at a time, or the lines of a mail after DATA. */
    private final class Session {
        private final NetSocket socket;
        private boolean data;
        private boolean inHeaders;
        private String id;
        private final StringBuilder replies = new StringBuilder();

        Session(NetSocket socket) {
            this.socket = socket;
        }

        void line(Buffer buffer) {
            String line = buffer.toString(StandardCharsets.ISO_8859_1);
            if (data) {
                mailLine(line);
            } else {
                command(line);
            }
            // pipelined commands arrive together: answer them together
            if (!replies.isEmpty()) {
                String out = replies.toString();
                replies.setLength(0);
                socket.write(out);
            }
        }

        private void mailLine(String line) {
            if (line.equals(".")) {
                data = false;
                mails.increment();
                if (id == null) {
                    withoutId.increment();
                } else {
                    byId.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
                }
                replies.append("250 2.0.0 accepted\r\n");
                return;
            }
            if (inHeaders) {
                if (line.isEmpty()) {
                    inHeaders = false;
                } else if (id == null && line.length() > ID_PREFIX.length()
                        && line.regionMatches(true, 0, ID_PREFIX, 0, ID_PREFIX.length())) {
                    id = line.substring(ID_PREFIX.length()).trim();
                }
            }
        }

        private void command(String line) {
            String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO" -> replies.append("250-omni-bench-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                        + "250 SIZE 52428800\r\n");
                case "HELO" -> replies.append("250 omni-bench-sink\r\n");
                case "MAIL", "RCPT", "RSET", "NOOP" -> replies.append("250 2.0.0 ok\r\n");
                case "DATA" -> {
                    data = true;
                    inHeaders = true;
                    id = null;
                    replies.append("354 end data with <CR><LF>.<CR><LF>\r\n");
                }
                case "QUIT" -> {
                    socket.write(replies + "221 2.0.0 bye\r\n").onComplete(done -> socket.close());
                    replies.setLength(0);
                }
                default -> replies.append("502 5.5.2 command not recognised\r\n");
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
