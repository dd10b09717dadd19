package dev.omni.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** The four services behind the gateway, as WireMock servers on free ports; each answers 200 by default. */
public final class StubServices implements AutoCloseable {

    public final WireMockServer profile = start();
    public final WireMockServer inventory = start();
    public final WireMockServer messaging = start();
    public final WireMockServer attribution = start();

    /** The gateway's configuration that points its four upstreams at these stubs. */
    public Map<String, String> upstreamConfig() {
        return Map.of("omni.profile.url", profile.baseUrl(), "omni.inventory.url", inventory.baseUrl(),
                "omni.messaging.url", messaging.baseUrl(), "omni.attribution.url", attribution.baseUrl());
    }

    /** Sets the test's {@link InjectStubServices} fields to these stubs. */
    public void injectInto(TestInjector injector) {
        injector.injectIntoFields(this,
                new TestInjector.AnnotatedAndMatchesType(InjectStubServices.class, StubServices.class));
    }

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(16));
        server.start();
        return server;
    }

    /** Forgets stubs and recorded requests, then answers every request with 200 and its service's name. */
    public void reset() {
        reset(profile, "profile");
        reset(inventory, "inventory");
        reset(messaging, "messaging");
        reset(attribution, "attribution");
    }

    private static void reset(WireMockServer server, String name) {
        server.resetAll();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"upstream\":\"" + name + "\"}")));
    }

    @Override
    public void close() {
        profile.stop();
        inventory.stop();
        messaging.stop();
        attribution.stop();
    }
}
