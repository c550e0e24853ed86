package io.sipvane.bench;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A generated table of a given size: {@code uris} origination URIs, 10 per trunk (5 at
 * priority 1 with weights 1..5, 5 at priority 2 weighing 10), one trunk per 10 URIs and one
 * account per 100 URIs. Trunk {@code t} matches the number prefix {@code +44} + {@code t} in
 * five digits and the domain {@code t<t>.example.net}, so lookups walk a trie and a hash map
 * of realistic size. Deterministic: the same size gives the same config.
 */
final class ScaleConfig {
    static final int URIS_PER_TRUNK = 10;
    static final int URIS_PER_ACCOUNT = 100;

    private ScaleConfig() {}

    static SipvaneConfig build(int uris) {
        int trunkCount = Math.max(1, uris / URIS_PER_TRUNK);
        int accountCount = Math.max(1, uris / URIS_PER_ACCOUNT);
        List<Account> accounts = new ArrayList<>();
        for (int a = 0; a < accountCount; a++) {
            accounts.add(Account.withToken(account(a), "token-" + a));
        }
        List<Trunk> trunks = new ArrayList<>();
        List<OriginationUri> list = new ArrayList<>();
        for (int t = 0; t < trunkCount; t++) {
            String account = account(t % accountCount);
            UUID trunkId = trunkId(t);
            trunks.add(new Trunk(trunkId, account, "trunk-" + t, null,
                    new TrunkMatch(List.of(number(t)), List.of("t" + t + ".example.net"), false), null, null, null, null, null));
            for (int i = 0; i < URIS_PER_TRUNK; i++) {
                int n = t * URIS_PER_TRUNK + i;
                String host = "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
                boolean primary = i < URIS_PER_TRUNK / 2;
                list.add(OriginationUri.of(uriId(n), account, trunkId, "sip:" + host + ":5060", primary ? 1 : 2,
                        primary ? 1 + i : 10));
            }
        }
        return new SipvaneConfig(null, null, null, accounts, trunks, list);
    }

    static String account(int a) {
        return String.format(Locale.ROOT, "MA_SCALE%06d", a);
    }

    static UUID trunkId(int t) {
        return new UUID(0x7100_0000_0000_0000L, t);
    }

    static UUID uriId(int n) {
        return new UUID(0x7200_0000_0000_0000L, n);
    }

    /** The number prefix trunk {@code t} matches. */
    static String number(int t) {
        return String.format(Locale.ROOT, "+44%05d", t);
    }
}
