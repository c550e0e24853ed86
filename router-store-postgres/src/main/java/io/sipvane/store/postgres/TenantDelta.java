package io.sipvane.store.postgres;

import io.sipvane.core.config.TenantChange;

/** What the database changed between version {@code since} and version {@code version}, read in one transaction. */
record TenantDelta(long since, long version, TenantChange change) {}
