package io.sipvane.core.health;

import java.util.UUID;

/**
 * Whether a destination may take new calls. Read on the call path, once per candidate when a
 * plan enters a priority: implementations answer without locks.
 */
@FunctionalInterface
public interface HealthView {

    /** Every destination up: no probing, no quarantine. */
    HealthView ALL_UP = uriId -> true;

    boolean isUp(UUID uriId);

    /** Up only when both views say so (for example probe state and passive quarantine). */
    default HealthView and(HealthView other) {
        return uriId -> isUp(uriId) && other.isUp(uriId);
    }
}
