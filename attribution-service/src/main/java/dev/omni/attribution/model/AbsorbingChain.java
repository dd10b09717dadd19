package dev.omni.attribution.model;

/**
 * A Markov chain whose transient states (0 = start) lead to two absorbing states, conversion and null. For each
 * transient state {@code s}, {@code x(s) = b(s) + Σ_t P(s,t) x(t)} is the expected reward of being absorbed from
 * {@code s}, where {@code b(s)} is the probability of converting in the next step times the reward (1 for counting
 * conversions, the mean conversion value for value). Removing states turns every transition into them into a
 * transition to null, i.e. drops them from the system.
 *
 * <p>The system {@code (I - Q) x = b} is solved directly by Gaussian elimination with partial pivoting up to
 * {@link #DIRECT_LIMIT} active states; larger systems (order-3 chains over many channels) by Gauss–Seidel
 * iteration, which converges for this M-matrix, run until the largest change is below 1e-14 of the largest value.
 * Neither samples anything: the same journeys always give the same numbers.
 */
final class AbsorbingChain {

    static final int DIRECT_LIMIT = 600;
    private static final double TOLERANCE = 1e-14;
    private static final int MAX_SWEEPS = 1_000_000;

    private final int directLimit;
    private final int states;
    private final int[] rowStart;
    private final int[] column;
    private final double[] probability;
    /** Right-hand sides: one per reward. */
    private final double[][] rewards;

    /**
     * @param rowStart    CSR offsets of the transitions out of each state
     * @param column      target state of each transition
     * @param probability probability of each transition
     * @param rewards     per reward, per state: P(s → conversion) × the reward of that conversion
     * @param directLimit up to this many active states the system is solved directly
     */
    AbsorbingChain(int[] rowStart, int[] column, double[] probability, double[][] rewards, int directLimit) {
        this.directLimit = directLimit;
        this.states = rowStart.length - 1;
        this.rowStart = rowStart;
        this.column = column;
        this.probability = probability;
        this.rewards = rewards;
    }

    boolean direct(int activeStates) {
        return activeStates <= directLimit;
    }

    /**
     * The expected reward from state 0 for each right-hand side, with the {@code removed} states (never 0) cut off.
     */
    double[] expectedFromStart(boolean[] removed) {
        int active = 0;
        for (int s = 0; s < states; s++) {
            if (!removed[s]) {
                active++;
            }
        }
        return direct(active) ? direct(removed, active) : iterate(removed);
    }

    private double[] direct(boolean[] removed, int active) {
        int[] index = new int[states];
        int[] stateOf = new int[active];
        for (int s = 0, i = 0; s < states; s++) {
            index[s] = removed[s] ? -1 : i;
            if (!removed[s]) {
                stateOf[i++] = s;
            }
        }
        int rhs = rewards.length;
        int width = active + rhs;
        double[][] a = new double[active][width];
        for (int i = 0; i < active; i++) {
            int s = stateOf[i];
            a[i][i] = 1;
            for (int e = rowStart[s]; e < rowStart[s + 1]; e++) {
                int t = index[column[e]];
                if (t >= 0) {
                    a[i][t] -= probability[e];
                }
            }
            for (int r = 0; r < rhs; r++) {
                a[i][active + r] = rewards[r][s];
            }
        }
        for (int col = 0; col < active; col++) {
            int pivot = col;
            for (int row = col + 1; row < active; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            if (a[pivot][col] == 0) {
                throw new IllegalStateException("singular chain: a state cannot reach conversion or null");
            }
            double[] swap = a[pivot];
            a[pivot] = a[col];
            a[col] = swap;
            double[] pivotRow = a[col];
            for (int row = col + 1; row < active; row++) {
                double factor = a[row][col] / pivotRow[col];
                if (factor != 0) {
                    double[] target = a[row];
                    for (int k = col; k < width; k++) {
                        target[k] -= factor * pivotRow[k];
                    }
                }
            }
        }
        double[][] x = new double[rhs][active];
        for (int r = 0; r < rhs; r++) {
            for (int row = active - 1; row >= 0; row--) {
                double sum = a[row][active + r];
                for (int k = row + 1; k < active; k++) {
                    sum -= a[row][k] * x[r][k];
                }
                x[r][row] = sum / a[row][row];
            }
        }
        double[] start = new double[rhs];
        for (int r = 0; r < rhs; r++) {
            start[r] = x[r][index[0]];
        }
        return start;
    }

    private double[] iterate(boolean[] removed) {
        int rhs = rewards.length;
        double[] start = new double[rhs];
        for (int r = 0; r < rhs; r++) {
            double[] b = rewards[r];
            double[] x = new double[states];
            for (int sweep = 0; ; sweep++) {
                if (sweep == MAX_SWEEPS) {
                    throw new IllegalStateException("Gauss-Seidel did not converge in " + MAX_SWEEPS + " sweeps");
                }
                double change = 0;
                double largest = 0;
                for (int s = 0; s < states; s++) {
                    if (removed[s]) {
                        continue;
                    }
                    double sum = b[s];
                    for (int e = rowStart[s]; e < rowStart[s + 1]; e++) {
                        sum += probability[e] * x[column[e]];
                    }
                    change = Math.max(change, Math.abs(sum - x[s]));
                    largest = Math.max(largest, Math.abs(sum));
                    x[s] = sum;
                }
                if (change <= TOLERANCE * Math.max(largest, Double.MIN_NORMAL)) {
                    break;
                }
            }
            start[r] = x[0];
        }
        return start;
    }
}
