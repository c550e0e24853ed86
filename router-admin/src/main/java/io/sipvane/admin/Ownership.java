package io.sipvane.admin;

import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.model.Trunk;
import io.sipvane.core.model.TrunkMatch;
import java.util.List;

/**
 * Who may claim which calls over the API. Number prefixes and domains have one owner: an
 * account may claim a prefix only when no other account holds a prefix of it or a longer
 * prefix inside it (either would split calls between the two), and a domain only when no
 * other account holds it. The default trunk takes every call nobody claimed, so only an
 * operator account ({@code operator: true}, or the config file itself) may claim it. A refusal
 * names the claim, never the other account or its trunk. Only claims a write adds are
 * checked, so a trunk the operator set up by hand can still be renamed by its tenant.
 */
final class Ownership {
    private Ownership() {}

    /** Throws 403/409 when {@code candidate} adds a claim its account may not make. */
    static void check(SipvaneConfig config, Trunk candidate, Trunk old) {
        TrunkMatch was = old == null ? TrunkMatch.NONE : old.match();
        TrunkMatch now = candidate.match();
        boolean operator = config.account(candidate.accountId()).map(a -> a.operator()).orElse(false);
        if (now.isDefault() && !was.isDefault() && !operator) {
            throw new ApiException(403, "match.default: only an operator account may claim the default trunk");
        }
        List<Trunk> others = config.trunks().stream().filter(t -> !t.accountId().equals(candidate.accountId())).toList();
        for (int i = 0; i < now.numbers().size(); i++) {
            String number = now.numbers().get(i);
            String prefix = TrunkMatch.normalizeNumber(number);
            if (was.numbers().stream().map(TrunkMatch::normalizeNumber).anyMatch(prefix::equals)) {
                continue;
            }
            for (Trunk t : others) {
                for (String theirs : t.match().numbers()) {
                    String p = TrunkMatch.normalizeNumber(theirs);
                    if (p.startsWith(prefix) || prefix.startsWith(p)) {
                        throw new ApiException(409, "match.numbers[" + i + "]: prefix " + number
                                + " overlaps a number range another account holds");
                    }
                }
            }
        }
        for (int i = 0; i < now.domains().size(); i++) {
            String domain = now.domains().get(i);
            if (was.domains().contains(domain)) {
                continue;
            }
            for (Trunk t : others) {
                if (t.match().domains().contains(domain)) {
                    throw new ApiException(409, "match.domains[" + i + "]: domain " + domain + " is held by another account");
                }
            }
        }
    }
}
