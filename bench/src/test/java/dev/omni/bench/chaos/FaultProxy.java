package dev.omni.bench.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that can cut every connection through it, for tests of what a service does when its
 * database or broker connections die under it. Built on Vert.x's NetServer/NetClient (already on the class path);
 * NetCrusher, the library the issue names, is not on the Maven Central reachable here (0.7–0.10 all missing).
 */
final class FaultProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetClient client = vertx.createNetClient();
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private final NetServer server;

    private FaultProxy(int targetPort) {
        server = vertx.createNetServer().connectHandler(inbound -> {
            inbound.pause();
            client.connect(targetPort, "127.0.0.1").onSuccess(outbound -> {
                connections.incrementAndGet();
                open.add(inbound);
                open.add(outbound);
                inbound.closeHandler(v -> {
                    open.remove(inbound);
                    outbound.close();
                });
                outbound.closeHandler(v -> {
                    open.remove(outbound);
                    inbound.close();
                });
                inbound.pipeTo(outbound);
                outbound.pipeTo(inbound);
            }).onFailure(failure -> inbound.close());
        });
    }

    /** Listens on {@code listenPort} (0: any free port) and forwards to 127.0.0.1:{@code targetPort}. */
    static FaultProxy start(int listenPort, int targetPort) throws Exception {
        FaultProxy proxy = new FaultProxy(targetPort);
        proxy.server.listen(listenPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return proxy;
    }

    int port() {
        return server.actualPort();
    }

    /** Closes every open connection, both sides; new ones are forwarded as before. Returns how many were cut. */
    int cut() {
        int n = 0;
        for (NetSocket socket : open) {
            socket.close();
            n++;
        }
        cut.addAndGet(n / 2);
        return n / 2;
    }

    int connections() {
        return connections.get();
    }

    int cutSoFar() {
        return cut.get();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
