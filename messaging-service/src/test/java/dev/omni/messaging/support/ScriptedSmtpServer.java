package dev.omni.messaging.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An SMTP server that does not deliver: it is either down (nothing listens on its port: connection refused) or speaks
 * SMTP and answers every {@code RCPT TO} with a scripted reply (451 transient, 550 permanent), counting the
 * connections and recipients it was offered. It stands in for a failing primary mail provider.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    public enum Mode {
        /** Nothing listens on the port: connections are refused. */
        DOWN,
        /** {@code 451 4.3.0}: try again later. */
        TRANSIENT,
        /** {@code 550 5.7.1}: refused for good. */
        PERMANENT
    }

    private final int port;
    private volatile ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.TRANSIENT);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger recipients = new AtomicInteger();

    public ScriptedSmtpServer() {
        listen(0);
        port = server.getLocalPort();
    }

    public int port() {
        return port;
    }

    /**
     * Drops every open connection (so a client's pooled connection from an earlier test does not carry over), then
     * {@link Mode#DOWN} closes the listening socket; any other mode listens on the same port again.
     */
    public synchronized void mode(Mode next) {
        mode.set(next);
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }
        if (next == Mode.DOWN) {
            closeListener();
        } else if (server.isClosed()) {
            listen(port);
        }
    }

    private void listen(int on) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), on), 50);
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocket listening = server;
        threads.submit(() -> acceptLoop(listening));
    }

    private void closeListener() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    public int connections() {
        return connections.get();
    }

    /** {@code RCPT TO} commands received (each one refused). */
    public int recipients() {
        return recipients.get();
    }

    public void reset() {
        connections.set(0);
        recipients.set(0);
    }

    private void acceptLoop(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket socket = listening.accept();
                connections.incrementAndGet();
                threads.submit(() -> converse(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket socket) {
        open.add(socket);
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 scripted.smtp ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO" -> reply(out, "250-scripted.smtp\r\n250 8BITMIME");
                    case "RCPT" -> {
                        recipients.incrementAndGet();
                        reply(out, mode.get() == Mode.PERMANENT ? "550 5.7.1 recipient refused"
                                : "451 4.3.0 temporarily unavailable, try again later");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 OK");
                }
            }
        } catch (IOException gone) {
            // the client went away, or the test dropped the connection
        } finally {
            open.remove(socket);
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        closeListener();
        threads.shutdownNow();
    }
}
