package dev.omni.attribution.model;

import java.util.Arrays;

/**
 * Identical paths aggregated: each distinct channel sequence once, with how many journeys took it, how many of
 * them converted and their value. A million journeys over 20 channels collapse to far fewer paths, and the
 * path-only models (Markov) then work per path, not per journey.
 */
final class PathTable {

    private int size;
    private int[] offsets = new int[1025];
    private int[] touches = new int[4096];
    private int[] hashes = new int[1024];
    private double[] journeys = new double[1024];
    private double[] conversions = new double[1024];
    private double[] values = new double[1024];
    private int[] slots;

    private PathTable(int expected) {
        slots = new int[Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1];
        Arrays.fill(slots, -1);
    }

    static PathTable of(Journeys input) {
        PathTable table = new PathTable(Math.min(input.size(), 1 << 16));
        for (int j = 0; j < input.size(); j++) {
            table.add(input, j);
        }
        return table;
    }

    int size() {
        return size;
    }

    int start(int path) {
        return offsets[path];
    }

    int end(int path) {
        return offsets[path + 1];
    }

    int touch(int index) {
        return touches[index];
    }

    double journeys(int path) {
        return journeys[path];
    }

    double conversions(int path) {
        return conversions[path];
    }

    double values(int path) {
        return values[path];
    }

    private void add(Journeys input, int journey) {
        int from = input.start(journey);
        int to = input.end(journey);
        int hash = 1;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + input.touch(i);
        }
        hash ^= hash >>> 16;
        int mask = slots.length - 1;
        int slot = hash & mask;
        while (slots[slot] >= 0) {
            int path = slots[slot];
            if (hashes[path] == hash && same(path, input, from, to)) {
                count(path, input, journey);
                return;
            }
            slot = (slot + 1) & mask;
        }
        int path = append(input, from, to, hash);
        slots[slot] = path;
        count(path, input, journey);
        if (size * 2 > slots.length) {
            rehash();
        }
    }

    private boolean same(int path, Journeys input, int from, int to) {
        if (offsets[path + 1] - offsets[path] != to - from) {
            return false;
        }
        for (int i = from, k = offsets[path]; i < to; i++, k++) {
            if (touches[k] != input.touch(i)) {
                return false;
            }
        }
        return true;
    }

    private void count(int path, Journeys input, int journey) {
        journeys[path]++;
        if (input.converted(journey)) {
            conversions[path]++;
            values[path] += input.value(journey);
        }
    }

    private int append(Journeys input, int from, int to, int hash) {
        if (size + 2 > offsets.length) {
            int capacity = offsets.length * 2;
            offsets = Arrays.copyOf(offsets, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            journeys = Arrays.copyOf(journeys, capacity);
            conversions = Arrays.copyOf(conversions, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        int length = to - from;
        int base = offsets[size];
        if (base + length > touches.length) {
            touches = Arrays.copyOf(touches, Math.max(base + length, touches.length * 2));
        }
        for (int i = 0; i < length; i++) {
            touches[base + i] = input.touch(from + i);
        }
        hashes[size] = hash;
        offsets[size + 1] = base + length;
        return size++;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        Arrays.fill(slots, -1);
        int mask = slots.length - 1;
        for (int path = 0; path < size; path++) {
            int slot = hashes[path] & mask;
            while (slots[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = path;
        }
    }
}
