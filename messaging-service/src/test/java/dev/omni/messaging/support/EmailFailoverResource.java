package dev.omni.messaging.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Two SMTP providers for email, each with a mail client of its own: {@code smtp} (priority 1) at a
 * {@link ScriptedSmtpServer} that fails as a test tells it to, and {@code smtp-backup} (priority 2) at a real SMTP
 * server (GreenMail). Three attempts with a 10 ms backoff on the primary.
 */
public class EmailFailoverResource implements QuarkusTestResourceLifecycleManager {

    private ScriptedSmtpServer primary;
    private GreenMail backup;

    @Override
    public Map<String, String> start() {
        primary = new ScriptedSmtpServer();
        backup = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        backup.start();
        Map<String, String> config = new HashMap<>();
        config.put("omni.messaging.providers.smtp.url", "smtp://127.0.0.1:" + primary.port());
        config.put("omni.messaging.providers.smtp.attempts", "3");
        config.put("omni.messaging.providers.smtp.backoff", "10ms");
        config.put("omni.messaging.providers.smtp.timeout", "10s");
        // each attempt on its own connection, so every attempt reaches RCPT and is counted: a connection pooled in an
        // earlier test and dropped by the scripted server's mode switch would otherwise eat an attempt (seen in CI:
        // the third attempt hung on it until the 10 s timeout)
        config.put("omni.messaging.providers.smtp.keep-alive", "false");
        config.put("omni.messaging.providers.smtp-backup.channel", "email");
        config.put("omni.messaging.providers.smtp-backup.protocol", "smtp");
        config.put("omni.messaging.providers.smtp-backup.priority", "2");
        config.put("omni.messaging.providers.smtp-backup.url", "smtp://127.0.0.1:" + backup.getSmtp().getPort());
        config.put("omni.messaging.providers.smtp-backup.sender", "Omni Backup <backup@omni.local>");
        // generous: a timeout after the server took the mail would send it again (this machine stalls under load)
        config.put("omni.messaging.providers.smtp-backup.timeout", "30s");
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(primary,
                new TestInjector.AnnotatedAndMatchesType(InjectProviderStubs.class, ScriptedSmtpServer.class));
        injector.injectIntoFields(backup,
                new TestInjector.AnnotatedAndMatchesType(InjectProviderStubs.class, GreenMail.class));
    }

    @Override
    public void stop() {
        if (primary != null) {
            primary.close();
        }
        if (backup != null) {
            backup.stop();
        }
    }
}
