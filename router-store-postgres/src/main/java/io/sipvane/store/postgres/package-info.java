/** Accounts, trunks and origination URIs in PostgreSQL, shared by every router of a cluster. */
package io.sipvane.store.postgres;
