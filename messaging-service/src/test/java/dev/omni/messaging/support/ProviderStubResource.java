package dev.omni.messaging.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts {@link ProviderStubs} and configures the providers: SMS {@code sms-primary} then {@code sms-backup} (Twilio),
 * push {@code fcm}, chat {@code whatsapp}; 3 s timeouts and 20 ms backoff so failover tests are quick.
 */
public class ProviderStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String TWILIO_SECRET = "twilio-auth-token";
    public static final String META_SECRET = "meta-app-secret";

    private ProviderStubs stubs;

    @Override
    public Map<String, String> start() {
        try {
            stubs = new ProviderStubs();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        provider(config, "sms-primary", "sms", "twilio", 1);
        config.put("omni.messaging.providers.sms-primary.account", "AC0001");
        config.put("omni.messaging.providers.sms-primary.token", TWILIO_SECRET);
        config.put("omni.messaging.providers.sms-primary.sender", "+15550000001");
        config.put("omni.messaging.providers.sms-primary.webhook-secret", TWILIO_SECRET);
        provider(config, "sms-backup", "sms", "twilio", 2);
        config.put("omni.messaging.providers.sms-backup.account", "AC0002");
        config.put("omni.messaging.providers.sms-backup.token", "backup-token");
        config.put("omni.messaging.providers.sms-backup.sender", "+15550000002");
        provider(config, "fcm", "push", "fcm", 1);
        config.put("omni.messaging.providers.fcm.account", "omni-app");
        config.put("omni.messaging.providers.fcm.token", "fcm-access-token");
        provider(config, "whatsapp", "chat", "whatsapp", 1);
        config.put("omni.messaging.providers.whatsapp.account", "1065550001");
        config.put("omni.messaging.providers.whatsapp.token", "wa-access-token");
        config.put("omni.messaging.providers.whatsapp.webhook-secret", META_SECRET);
        return config;
    }

    private void provider(Map<String, String> config, String name, String channel, String protocol, int priority) {
        String prefix = "omni.messaging.providers." + name + ".";
        config.put(prefix + "channel", channel);
        config.put(prefix + "protocol", protocol);
        config.put(prefix + "priority", String.valueOf(priority));
        config.put(prefix + "url", stubs.url(name));
        config.put(prefix + "timeout", "3s");
        config.put(prefix + "attempts", "2");
        config.put(prefix + "backoff", "20ms");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(stubs,
                new TestInjector.AnnotatedAndMatchesType(InjectProviderStubs.class, ProviderStubs.class));
    }

    @Override
    public void stop() {
        if (stubs != null) {
            stubs.close();
        }
    }
}
