package dev.omni.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** k8s/secrets.sh, run with --dry-run: the Secrets it would create, without a cluster. */
final class SecretsScript {
    private SecretsScript() {
    }

    private static final Map<String, List<ObjectNode>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Runs the script once per namespace and test run; callers get copies. */
    static List<ObjectNode> dryRun(String namespace) {
        return CACHE.computeIfAbsent(namespace, SecretsScript::run).stream().map(ObjectNode::deepCopy).toList();
    }

    private static List<ObjectNode> run(String namespace) {
        String yaml = Commands.run(List.of("bash", Repo.K8S.resolve("secrets.sh").toString(), namespace, "--dry-run"),
                null, "bash and kubectl are needed to run k8s/secrets.sh");
        return Manifests.parse(yaml);
    }

    /** Secret name -> its keys (decoded values are not needed, only which keys exist). */
    static Map<String, Set<String>> keys(String namespace) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (ObjectNode s : dryRun(namespace)) {
            Set<String> keys = new TreeSet<>();
            s.path("data").fieldNames().forEachRemaining(k -> {
                keys.add(k);
                Base64.getDecoder().decode(s.path("data").path(k).asText()); // well-formed
            });
            out.put(Manifests.name(s), keys);
        }
        return out;
    }
}
