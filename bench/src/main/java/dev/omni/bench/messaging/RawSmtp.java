package dev.omni.bench.messaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fallback baseline: plain SMTP over a few kept-open connections, one MAIL/RCPT/DATA transaction per message,
 * the same multipart (text + HTML) mail Omni sends. Nothing but the delivery.
 */
final class RawSmtp {

    record Result(long sent, long failed, Duration elapsed) {
    }

    private final String host;
    private final int port;

    RawSmtp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    Result send(List<String> addresses, int count, int connections, Map<String, String> sample) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(pool.submit(() -> {
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.UTF_8));
                    OutputStream out = socket.getOutputStream();
                    expect(in, "220");
                    command(out, in, "EHLO bench.omni.local", "250");
                    int n;
                    while ((n = next.getAndIncrement()) < count) {
                        String to = addresses.get(n % addresses.size());
                        String prefix = to.substring(0, to.lastIndexOf('-'));
                        try {
                            command(out, in, "MAIL FROM:<no-reply@omni.local>", "250");
                            command(out, in, "RCPT TO:<" + to + ">", "250");
                            command(out, in, "DATA", "354");
                            write(out, mail(to, prefix + "-" + n, "Your order " + prefix + "-" + n + " is confirmed",
                                    sample));
                            command(out, in, ".", "250");
                            sent.incrementAndGet();
                        } catch (IOException e) {
                            failed.incrementAndGet();
                            throw e;
                        }
                    }
                    command(out, in, "QUIT", "221");
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (Exception e) {
                System.err.println("raw SMTP connection failed: " + e.getMessage());
            }
        }
        pool.shutdown();
        return new Result(sent.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static String mail(String to, String id, String subject, Map<String, String> sample) {
        String boundary = "=--bench-boundary";
        StringBuilder m = new StringBuilder()
                .append("From: Omni <no-reply@omni.local>\r\nTo: ").append(to).append("\r\nSubject: ").append(subject)
                .append("\r\n").append(SmtpSink.ID_HEADER).append(": ").append(id)
                .append("\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"").append(boundary)
                .append("\"\r\n\r\n--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
                .append(dotStuff(sample.getOrDefault("text", ""))).append("\r\n--").append(boundary)
                .append("\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")
                .append(dotStuff(sample.getOrDefault("html", ""))).append("\r\n--").append(boundary).append("--");
        return m.toString();
    }

    private static String dotStuff(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").replace("\r\n.", "\r\n..");
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        write(out, line);
        expect(in, code);
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed, expected " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + line);
        }
    }
}
