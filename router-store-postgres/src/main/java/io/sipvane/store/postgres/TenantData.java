package io.sipvane.store.postgres;

import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.util.List;

/** The tenant data of one database version, as read in one transaction. */
record TenantData(long version, List<Account> accounts, List<Trunk> trunks, List<OriginationUri> originationUris) {

    TenantData {
        if (version < 0) {
            throw new IllegalArgumentException("version: " + version + " (expected: >= 0)");
        }
        accounts = List.copyOf(accounts);
        trunks = List.copyOf(trunks);
        originationUris = List.copyOf(originationUris);
    }

    boolean isEmpty() {
        return accounts.isEmpty() && trunks.isEmpty() && originationUris.isEmpty();
    }
}
