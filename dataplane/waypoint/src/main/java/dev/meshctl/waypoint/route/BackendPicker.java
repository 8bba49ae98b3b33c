package dev.meshctl.waypoint.route;

import dev.meshctl.api.mesh.Backend;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/** Chooses a backend of a rule in proportion to the backends' weights. */
public final class BackendPicker {

    private final IntUnaryOperator random;

    /**
     * Creates a picker drawing from {@code random}, which maps a bound {@code n > 0} to a value in {@code [0, n)}
     * (e.g. {@code ThreadLocalRandom.current()::nextInt}, or a fixed sequence in tests).
     */
    public BackendPicker(IntUnaryOperator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Returns a backend, or empty when there are none or all weights are 0 (Gateway API answers 500 then). */
    public Optional<Backend> pick(List<Backend> backends) {
        Objects.requireNonNull(backends, "backends");
        long total = 0;
        for (Backend b : backends) {
            total += b.getWeight();
        }
        if (total <= 0) {
            return Optional.empty();
        }
        int draw = random.applyAsInt((int) Math.min(Integer.MAX_VALUE, total));
        for (Backend b : backends) {
            draw -= b.getWeight();
            if (draw < 0) {
                return Optional.of(b);
            }
        }
        return Optional.of(backends.get(backends.size() - 1));
    }
}
