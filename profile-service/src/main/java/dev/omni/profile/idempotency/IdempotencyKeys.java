package dev.omni.profile.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} for POSTs that create something: the first request with a key runs and its answer is
 * kept (in the same transaction as its effect); a repeat gets that answer back without running again, even when
 * both arrive at once (the second waits on the first's row). A key reused for a different request is a 422.
 */
@ApplicationScoped
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY = 200;
    private static final String CLAIM = "INSERT INTO idempotent_request (scope, key, fingerprint, created_at) "
            + "VALUES (?1, ?2, ?3, now()) ON CONFLICT DO NOTHING";
    private static final String SAVE = "UPDATE idempotent_request SET response = ?3 "
            + "WHERE scope = ?1 AND key = ?2";
    private static final String PRUNE = "DELETE FROM idempotent_request WHERE created_at < now() - interval '1 day'";
    private static final String READ = "SELECT fingerprint, response FROM idempotent_request "
            + "WHERE scope = ?1 AND key = ?2";

    private final ObjectMapper mapper;

    public IdempotencyKeys(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Runs {@code action} once per {@code key} within {@code scope}; call inside the action's transaction.
     *
     * @param request what the client asked, to tell a repeat from a different request under the same key
     */
    public <T> Uni<T> once(String scope, String key, Object request, Class<T> type, Supplier<Uni<T>> action) {
        if (key == null) {
            return action.get();
        }
        if (key.isBlank() || key.length() > MAX_KEY) {
            throw Problems.badRequest(new Violation(HEADER, "header", "1 to " + MAX_KEY + " characters"));
        }
        String fingerprint = fingerprint(request);
        return Panache.getSession().chain(session -> session.createNativeQuery(CLAIM)
                .setParameter(1, scope).setParameter(2, key).setParameter(3, fingerprint)
                .executeUpdate()
                .chain(claimed -> claimed == 1
                        ? action.get().call(result -> session.createNativeQuery(SAVE)
                                .setParameter(1, scope).setParameter(2, key).setParameter(3, json(result))
                                .executeUpdate())
                        : session.<Object[]>createNativeQuery(READ).setParameter(1, scope).setParameter(2, key)
                                .getSingleResult()
                                .map(row -> replay(row, fingerprint, type))));
    }

    private <T> T replay(Object[] row, String fingerprint, Class<T> type) {
        if (!fingerprint.equals(row[0])) {
            throw HttpProblem.builder().withStatus(422).withTitle("Unprocessable Content")
                    .withDetail("Idempotency-Key was already used for a different request")
                    .build();
        }
        try {
            return mapper.readValue((String) row[1], type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent response is not " + type.getSimpleName(), e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String fingerprint(Object request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json(request).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keys are remembered for a day. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(PRUNE)
                .executeUpdate())).replaceWithVoid();
    }
}
