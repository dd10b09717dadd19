package dev.omni.inventory;

import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One step after another on the same session: a reactive session must never run two statements at once. */
public final class Sequential {

    private Sequential() {
    }

    public static <T> Uni<Void> each(Iterable<T> items, Function<T, Uni<Void>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.chain(() -> step.apply(item));
        }
        return chain;
    }

    public static <T, R> Uni<List<R>> map(List<T> items, Function<T, Uni<R>> step) {
        List<R> results = new ArrayList<>(items.size());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.chain(() -> step.apply(item).invoke(results::add).replaceWithVoid());
        }
        return chain.replaceWith(results);
    }
}
