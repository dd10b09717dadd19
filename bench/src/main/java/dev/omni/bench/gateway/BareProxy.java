package dev.omni.bench.gateway;

import dev.omni.bench.Args;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.httpproxy.HttpProxy;

import java.net.URI;

/**
 * The gateway bench's floor: Vert.x's HTTP proxy, which the gateway is built on, with nothing around it (no token
 * check, route table, limiter, breaker or metrics), one verticle per core on epoll where Linux has it, like the
 * gateway. What it adds over direct is what any gateway on this library adds before doing its work.
 * <pre>java -cp … dev.omni.bench.gateway.BareProxy --port=18282 --upstream=http://127.0.0.1:8082</pre>
 */
public final class BareProxy extends AbstractVerticle {

    private final int port;
    private final URI upstream;

    private BareProxy(int port, URI upstream) {
        this.port = port;
        this.upstream = upstream;
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int port = args.integer("port", 18282);
        URI upstream = URI.create(args.string("upstream", "http://127.0.0.1:8082"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        vertx.deployVerticle(() -> new BareProxy(port, upstream),
                        new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .onSuccess(id -> System.out.printf("bare Vert.x proxy on :%d to %s (epoll: %s)%n", port, upstream,
                        vertx.isNativeTransportEnabled()))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public void start(Promise<Void> started) {
        HttpProxy proxy = HttpProxy.reverseProxy(vertx.createHttpClient(new HttpClientOptions()
                        .setMaxPoolSize(32).setKeepAlive(true).setTcpNoDelay(true)))
                .origin(upstream.getPort(), upstream.getHost());
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(proxy)
                .listen(port, "127.0.0.1")
                .<Void>mapEmpty()
                .onComplete(started);
    }
}
