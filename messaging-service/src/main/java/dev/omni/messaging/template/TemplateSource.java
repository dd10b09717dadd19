package dev.omni.messaging.template;

import dev.omni.platform.problem.Violation;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.SectionBlock;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateNode;
import io.quarkus.qute.Variant;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses one Qute source and checks it only reads what a send provides: {@code profile} (traits and contact
 * points), {@code data} (values given with a one-off send), {@code event} (the triggering event's properties),
 * {@code journey} (journey variables) and {@code message} (its id). Errors carry the line and column.
 */
public final class TemplateSource {

    public static final Set<String> ROOTS = Set.of("profile", "data", "event", "journey", "message");
    /** HTML parts escape every value, so a trait cannot inject markup. */
    private static final Variant HTML = Variant.forContentType(Variant.TEXT_HTML);
    private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private final Template template;
    private final List<Violation> violations;

    private TemplateSource(Template template, List<Violation> violations) {
        this.template = template;
        this.violations = violations;
    }

    /** @param field the field the source came in, named in violations ({@code html}, {@code text}, {@code subject}) */
    public static TemplateSource parse(Engine engine, String field, String source) {
        Template template;
        try {
            template = "html".equals(field) ? engine.parse(source, HTML) : engine.parse(source);
        } catch (TemplateException e) {
            return new TemplateSource(null, List.of(Violation.body(field, at(e.getOrigin()) + cleaned(e))));
        }
        Set<String> declared = declaredNames(template);
        List<Violation> violations = template.getExpressions().stream()
                .filter(expression -> !expression.isLiteral())
                .map(expression -> check(field, expression, declared))
                .filter(violation -> violation != null)
                .toList();
        return new TemplateSource(template, violations);
    }

    public boolean valid() {
        return violations.isEmpty();
    }

    public List<Violation> violations() {
        return violations;
    }

    public Template template() {
        return template;
    }

    /** Keys of {@code data} the template reads without a default ({@code data.x.or(...)} is optional). */
    public Set<String> requiredData() {
        Set<String> keys = new LinkedHashSet<>();
        if (template == null) {
            return keys;
        }
        for (Expression expression : template.getExpressions()) {
            List<Expression.Part> parts = expression.getParts();
            if (expression.isLiteral() || parts.size() < 2 || !"data".equals(parts.get(0).getName())
                    || parts.get(1).isVirtualMethod()) {
                continue;
            }
            boolean defaulted = parts.stream().anyMatch(p -> p.isVirtualMethod() && "or".equals(p.getName()));
            if (!defaulted) {
                keys.add(parts.get(1).getName());
            }
        }
        return keys;
    }

    /** Keys of {@code data} the template reads at all. */
    public Set<String> usedData() {
        Set<String> keys = new LinkedHashSet<>();
        if (template != null) {
            template.getExpressions().stream()
                    .filter(e -> !e.isLiteral() && e.getParts().size() >= 2 && "data".equals(e.getParts().get(0).getName()))
                    .forEach(e -> keys.add(e.getParts().get(1).getName()));
        }
        return keys;
    }

    private static Violation check(String field, Expression expression, Set<String> declared) {
        if (expression.hasNamespace()) {
            return Violation.body(field, at(expression.getOrigin()) + "namespace '" + expression.getNamespace()
                    + ":' is not available in message templates");
        }
        String root = expression.getParts().get(0).getName();
        if (ROOTS.contains(root) || declared.contains(root)
                || declared.stream().anyMatch(alias -> root.startsWith(alias + "_"))) {
            return null;
        }
        return Violation.body(field, at(expression.getOrigin()) + "unknown variable '" + root
                + "' (known: profile, data, event, journey, message)");
    }

    /** Names sections introduce: loop aliases ({@code it} by default) and {@code let} names. */
    private static Set<String> declaredNames(Template template) {
        Set<String> names = new HashSet<>();
        names.add("it");
        for (TemplateNode node : template.findNodes(TemplateNode::isSection)) {
            for (SectionBlock block : node.asSection().getBlocks()) {
                for (Map.Entry<String, String> parameter : block.parameters.entrySet()) {
                    if ("alias".equals(parameter.getKey()) && NAME.matcher(parameter.getValue()).matches()) {
                        names.add(parameter.getValue());
                    } else if (NAME.matcher(parameter.getKey()).matches() && !Set.of("iterable", "in", "condition",
                            "alias", "value", "object", "key").contains(parameter.getKey())) {
                        names.add(parameter.getKey());
                    }
                }
            }
        }
        return names;
    }

    private static String at(TemplateNode.Origin origin) {
        return origin == null ? "" : "line " + origin.getLine() + ", column " + origin.getLineCharacterStart() + ": ";
    }

    private static String cleaned(TemplateException e) {
        String message = e.getMessage() == null ? "invalid template" : e.getMessage();
        return message.replaceFirst("^Parser error( in template \\[[^]]*\\])?( on line \\d+)?: ", "");
    }
}
