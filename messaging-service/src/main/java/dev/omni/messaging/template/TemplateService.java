package dev.omni.messaging.template;

import dev.omni.contracts.Channel;
import dev.omni.messaging.Channels;
import dev.omni.messaging.MessagingConfig;
import dev.omni.messaging.TimeSource;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Stores Qute templates per channel and locale, rejects a bad one at save time with the error position, picks the
 * variant for a profile's locale and renders it.
 */
@ApplicationScoped
public class TemplateService {

    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,99}$");
    private static final Pattern LOCALE = Pattern.compile("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$");

    private final Engine engine;
    private final TimeSource time;
    private final String defaultLocale;
    /** Parsed sources by variant key and version, so a send parses nothing. */
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    public TemplateService(Engine engine, TimeSource time, MessagingConfig config) {
        this.engine = engine;
        this.time = time;
        this.defaultLocale = config.defaultLocale();
    }

    /** A variant ready to render, with the {@code data} keys it needs. */
    public record Compiled(MessageTemplate variant, TemplateSource subject, TemplateSource text, TemplateSource html) {

        public Set<String> requiredData() {
            Set<String> keys = new LinkedHashSet<>(text.requiredData());
            if (subject != null) {
                keys.addAll(subject.requiredData());
            }
            if (html != null) {
                keys.addAll(html.requiredData());
            }
            return keys;
        }

        public Set<String> usedData() {
            Set<String> keys = new LinkedHashSet<>(text.usedData());
            if (subject != null) {
                keys.addAll(subject.usedData());
            }
            if (html != null) {
                keys.addAll(html.usedData());
            }
            return keys;
        }

        /**
         * @throws TemplateRenderException when a value the template reads is missing
         */
        public Rendered render(Map<String, Object> values) {
            try {
                return new Rendered(subject == null ? null : subject.template().render(values).strip(),
                        text.template().render(values), html == null ? null : html.template().render(values));
            } catch (TemplateException e) {
                throw new TemplateRenderException(e.getMessage() == null ? "a value the template reads is missing"
                        : e.getMessage(), e);
            }
        }
    }

    public Uni<TemplateView> save(String id, String channelName, String localeTag, TemplateInput input) {
        List<Violation> violations = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            violations.add(new Violation("id", "path", "lower-case letters, digits and dashes, at most 100"));
        }
        Channel channel = Channels.parse(channelName).orElse(null);
        if (channel == null) {
            violations.add(new Violation("channel", "path", "unknown channel (email, sms, push or chat)"));
        }
        if (localeTag == null || !LOCALE.matcher(localeTag).matches()) {
            violations.add(new Violation("locale", "path", "a language tag such as en or de-CH"));
        }
        if (input == null || input.text() == null || input.text().isBlank()) {
            violations.add(Violation.body("text", "required"));
        }
        if (channel == Channel.EMAIL && input != null && (input.subject() == null || input.subject().isBlank())) {
            violations.add(Violation.body("subject", "an email needs a subject"));
        }
        if (channel != null && channel != Channel.EMAIL && input != null && input.html() != null) {
            violations.add(Violation.body("html", "only email has an HTML part"));
        }
        if (violations.isEmpty()) {
            violations.addAll(parse(input.subject(), "subject"));
            violations.addAll(parse(input.text(), "text"));
            violations.addAll(parse(input.html(), "html"));
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest("the template is invalid: " + violations.get(0).field() + ": "
                    + violations.get(0).message(), violations);
        }
        String locale = localeTag;
        return Panache.withTransaction(() -> MessageTemplate.<MessageTemplate>findById(
                        new MessageTemplate.Key(id, channel.wire(), locale))
                .chain(existing -> {
                    MessageTemplate template = existing != null ? existing : new MessageTemplate();
                    template.templateId = id;
                    template.channel = channel.wire();
                    template.locale = locale;
                    template.subject = input.subject();
                    template.text = input.text();
                    template.html = input.html();
                    template.updatedAt = time.now();
                    return existing != null ? Uni.createFrom().item(template) : template.<MessageTemplate>persist();
                }))
                .map(TemplateView::of);
    }

    public Uni<List<TemplateView>> list() {
        return MessageTemplate.<MessageTemplate>list("order by templateId, channel, locale")
                .map(all -> all.stream().map(TemplateView::of).toList());
    }

    public Uni<Boolean> exists(String id, Channel channel) {
        return MessageTemplate.count("templateId = ?1 and channel = ?2", id, channel.wire()).map(n -> n > 0);
    }

    /**
     * The variant for {@code locale}, falling back from {@code de-CH} to {@code de} to the default locale and then
     * to any locale of the channel; null when the template has no variant for the channel.
     */
    public Uni<Compiled> resolve(String id, Channel channel, String locale) {
        List<String> candidates = candidates(locale);
        return MessageTemplate.<MessageTemplate>list("templateId = ?1 and channel = ?2", id, channel.wire())
                .map(variants -> {
                    for (String candidate : candidates) {
                        for (MessageTemplate variant : variants) {
                            if (variant.locale.equalsIgnoreCase(candidate)) {
                                return compile(variant);
                            }
                        }
                    }
                    return variants.isEmpty() ? null : compile(variants.get(0));
                });
    }

    private Compiled compile(MessageTemplate variant) {
        String key = variant.templateId + '/' + variant.channel + '/' + variant.locale + '@'
                + variant.updatedAt.toEpochMilli();
        return compiled.computeIfAbsent(key, ignored -> new Compiled(variant,
                variant.subject == null ? null : TemplateSource.parse(engine, "subject", variant.subject),
                TemplateSource.parse(engine, "text", variant.text),
                variant.html == null ? null : TemplateSource.parse(engine, "html", variant.html)));

    }

    private List<Violation> parse(String source, String field) {
        return source == null ? List.of() : TemplateSource.parse(engine, field, source).violations();
    }

    private List<String> candidates(String locale) {
        List<String> candidates = new ArrayList<>();
        if (locale != null && !locale.isBlank()) {
            String tag = locale.replace('_', '-');
            candidates.add(tag);
            int dash = tag.indexOf('-');
            if (dash > 0) {
                candidates.add(tag.substring(0, dash).toLowerCase(Locale.ROOT));
            }
        }
        candidates.add(defaultLocale);
        return candidates;
    }
}
