package io.sipvane.core.config;

import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The whole configuration: the server settings (restart-only, from the file) and the tenant
 * data (accounts, trunks, origination URIs: hot, from the {@link StoreSettings store}).
 * Immutable; a change is a new instance. The constructor checks references between objects
 * (ids unique, every account and trunk a URI or trunk names exists and belongs to the same
 * account).
 *
 * <p>A value class with record-style accessors, equality and {@code toString}, and not a
 * record because it carries the index of its tenant data ({@link TenantIndex}): lookups by
 * id are hash lookups, and {@link #withOriginationUri} and {@link #withoutOriginationUri}
 * check and index only the URI they change. At 100,000 URIs that is what keeps an API write
 * from re-checking every URI.
 *
 * <p>Components: {@code instance} is this router's name in metrics ({@code instance} tag)
 * or {@code null}; {@code logging} what call log lines show (restart-only); {@code capture}
 * HEP capture of SIP messages (restart-only); {@code tls} the router's certificate, trusted
 * CAs and per-destination TLS rules.
 */
public final class SipvaneConfig {
    private final SipSettings sip;
    private final AdminSettings admin;
    private final HealthSettings health;
    private final DnsSettings dns;
    private final ShutdownSettings shutdown;
    private final StoreSettings store;
    private final String instance;
    private final List<Account> accounts;
    private final List<Trunk> trunks;
    private final List<OriginationUri> originationUris;
    private final LoggingSettings logging;
    private final CaptureSettings capture;
    private final TlsSettings tls;
    private final TenantIndex index;

    public SipvaneConfig(SipSettings sip, AdminSettings admin, HealthSettings health, DnsSettings dns,
                         ShutdownSettings shutdown, StoreSettings store, String instance, List<Account> accounts,
                         List<Trunk> trunks, List<OriginationUri> originationUris, LoggingSettings logging,
                         CaptureSettings capture, TlsSettings tls) {
        this.logging = logging == null ? LoggingSettings.DEFAULT : logging;
        this.capture = capture == null ? CaptureSettings.OFF : capture;
        this.tls = tls == null ? TlsSettings.DEFAULT : tls;
        this.sip = sip == null ? SipSettings.DEFAULT : sip;
        this.admin = admin == null ? AdminSettings.DEFAULT : admin;
        this.health = health == null ? HealthSettings.DEFAULT : health;
        this.dns = dns == null ? DnsSettings.DEFAULT : dns;
        this.shutdown = shutdown == null ? ShutdownSettings.DEFAULT : shutdown;
        this.store = store == null ? StoreSettings.DEFAULT : store;
        if (instance != null) {
            io.sipvane.core.model.Checks.notBlank(instance, "instance");
        }
        this.instance = instance;
        this.accounts = List.copyOf(accounts);
        this.trunks = List.copyOf(trunks);
        this.originationUris = List.copyOf(originationUris);
        this.index = ConfigReferences.check(SelfReference.of(this.sip.listen()), this.accounts, this.trunks,
                this.originationUris);
    }

    /** {@code base}'s settings with tenant data checked against each other already. */
    private SipvaneConfig(SipvaneConfig base, List<Account> accounts, List<Trunk> trunks,
                          List<OriginationUri> originationUris, TenantIndex index) {
        this.sip = base.sip;
        this.admin = base.admin;
        this.health = base.health;
        this.dns = base.dns;
        this.shutdown = base.shutdown;
        this.store = base.store;
        this.instance = base.instance;
        this.logging = base.logging;
        this.capture = base.capture;
        this.tls = base.tls;
        this.accounts = accounts;
        this.trunks = trunks;
        this.originationUris = originationUris;
        this.index = index;
    }
    /** A config without TLS settings of its own. */
    public SipvaneConfig(SipSettings sip, AdminSettings admin, HealthSettings health, DnsSettings dns,
                         ShutdownSettings shutdown, StoreSettings store, String instance, List<Account> accounts,
                         List<Trunk> trunks, List<OriginationUri> originationUris, LoggingSettings logging,
                         CaptureSettings capture) {
        this(sip, admin, health, dns, shutdown, store, instance, accounts, trunks, originationUris, logging, capture, null);
    }

    /** A config with default logging and no capture. */
    public SipvaneConfig(SipSettings sip, AdminSettings admin, HealthSettings health, DnsSettings dns,
                         ShutdownSettings shutdown, StoreSettings store, String instance, List<Account> accounts,
                         List<Trunk> trunks, List<OriginationUri> originationUris) {
        this(sip, admin, health, dns, shutdown, store, instance, accounts, trunks, originationUris, null, null);
    }

    /** A config with the file store and no instance name. */
    public SipvaneConfig(SipSettings sip, AdminSettings admin, HealthSettings health, DnsSettings dns,
                         ShutdownSettings shutdown, List<Account> accounts, List<Trunk> trunks,
                         List<OriginationUri> originationUris) {
        this(sip, admin, health, dns, shutdown, null, null, accounts, trunks, originationUris);
    }

    /** A config with default sip, admin, health, dns and shutdown sections where null. */
    public SipvaneConfig(SipSettings sip, AdminSettings admin, HealthSettings health, List<Account> accounts,
                         List<Trunk> trunks, List<OriginationUri> originationUris) {
        this(sip, admin, health, null, null, null, null, accounts, trunks, originationUris);
    }

    public SipSettings sip() {
        return sip;
    }

    public AdminSettings admin() {
        return admin;
    }

    public HealthSettings health() {
        return health;
    }

    public DnsSettings dns() {
        return dns;
    }

    public ShutdownSettings shutdown() {
        return shutdown;
    }

    public StoreSettings store() {
        return store;
    }

    public String instance() {
        return instance;
    }

    public List<Account> accounts() {
        return accounts;
    }

    public List<Trunk> trunks() {
        return trunks;
    }

    public List<OriginationUri> originationUris() {
        return originationUris;
    }

    public LoggingSettings logging() {
        return logging;
    }

    public CaptureSettings capture() {
        return capture;
    }

    public TlsSettings tls() {
        return tls;
    }

    public Optional<Account> account(String authId) {
        return Optional.ofNullable(index.accounts.get(authId));
    }

    public Optional<Trunk> trunk(UUID id) {
        return Optional.ofNullable(index.trunks.get(id));
    }

    public Optional<OriginationUri> originationUri(UUID id) {
        return Optional.ofNullable(index.uris.get(id));
    }

    /** Whether a trunk or URI has this id, so that a new object never reuses one. */
    public boolean usesId(UUID id) {
        return index.usesId(id);
    }

    /**
     * The URIs whose {@code trunk_id} is {@code trunkId}, in config order; the same list
     * instance in every config derived from this one by changes to other trunks' URIs.
     */
    public List<OriginationUri> urisOfTrunk(UUID trunkId) {
        return index.byTrunk.getOrDefault(trunkId, List.of());
    }

    /** The URIs of {@code accountId} without a {@code trunk_id}, in config order; shared as {@link #urisOfTrunk}. */
    public List<OriginationUri> unattachedUris(String accountId) {
        return index.unattached.getOrDefault(accountId, List.of());
    }

    public SipvaneConfig withTrunks(List<Trunk> newTrunks) {
        return withTenantData(accounts, newTrunks, originationUris);
    }

    public SipvaneConfig withOriginationUris(List<OriginationUri> newUris) {
        return withTenantData(accounts, trunks, newUris);
    }

    /**
     * This config with {@code uri} in place of the URI of the same id, or added at the end
     * when there is none; checked as the whole config would be
     * ({@link ConfigReferenceException}), but looking only at {@code uri}.
     */
    public SipvaneConfig withOriginationUri(OriginationUri uri) {
        OriginationUri old = index.uris.get(uri.id());
        if (old == uri) {
            return this;
        }
        OriginationUri[] next;
        int at;
        if (old == null) {
            at = originationUris.size();
            if (index.trunks.containsKey(uri.id())) {
                throw new ConfigReferenceException("origination_uris", at, "id", "duplicate id " + uri.id());
            }
            next = originationUris.toArray(new OriginationUri[at + 1]);
        } else {
            if (!old.accountId().equals(uri.accountId())) {
                // trunks may name it: let the whole check judge
                List<OriginationUri> list = new ArrayList<>(originationUris);
                list.set(TenantIndex.indexOf(originationUris, old), uri);
                return withOriginationUris(list);
            }
            at = TenantIndex.indexOf(originationUris, old);
            next = originationUris.toArray(new OriginationUri[0]);
        }
        ConfigReferences.checkUri(index, at, uri);
        next[at] = uri;
        List<OriginationUri> list = List.of(next);
        return new SipvaneConfig(this, accounts, trunks, list, index.withUri(old, uri, list));
    }

    /**
     * This config without the URI {@code id} ({@code this} when there is none); refused as
     * the whole check would refuse it when a trunk names it.
     */
    public SipvaneConfig withoutOriginationUri(UUID id) {
        OriginationUri old = index.uris.get(id);
        if (old == null) {
            return this;
        }
        List<OriginationUri> list = new ArrayList<>(originationUris);
        list.remove(TenantIndex.indexOf(originationUris, old));
        if (index.named(id)) {
            return withOriginationUris(list); // throws, naming the trunk's field
        }
        List<OriginationUri> rest = List.copyOf(list);
        return new SipvaneConfig(this, accounts, trunks, rest, index.withUri(old, null, rest));
    }

    /** These server settings with other accounts, trunks and URIs. */
    public SipvaneConfig withTenantData(List<Account> newAccounts, List<Trunk> newTrunks, List<OriginationUri> newUris) {
        return new SipvaneConfig(sip, admin, health, dns, shutdown, store, instance, newAccounts, newTrunks, newUris,
                logging, capture, tls);
    }

    /** Whether any account, trunk or URI is present. */
    public boolean hasTenantData() {
        return !accounts.isEmpty() || !trunks.isEmpty() || !originationUris.isEmpty();
    }

    private List<Object> components() {
        return Arrays.asList(sip, admin, health, dns, shutdown, store, instance, accounts, trunks, originationUris, logging,
                capture, tls);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SipvaneConfig other && components().equals(other.components());
    }

    @Override
    public int hashCode() {
        return components().hashCode();
    }

    @Override
    public String toString() {
        return "SipvaneConfig[sip=" + sip + ", admin=" + admin + ", health=" + health + ", dns=" + dns + ", shutdown="
                + shutdown + ", store=" + store + ", instance=" + instance + ", accounts=" + accounts + ", trunks=" + trunks
                + ", originationUris=" + originationUris + ", logging=" + logging + ", capture=" + capture + ", tls=" + tls
                + "]";
    }
}
