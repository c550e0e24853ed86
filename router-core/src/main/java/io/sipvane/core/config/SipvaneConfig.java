package io.sipvane.core.config;

import io.sipvane.core.model.Account;
import io.sipvane.core.model.OriginationUri;
import io.sipvane.core.model.Trunk;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The whole configuration: the server settings (restart-only, from the file) and the tenant
 * data (accounts, trunks, origination URIs: hot, from the {@link StoreSettings store}).
 * Immutable; a change is a new instance. The constructor checks references between objects
 * (ids unique, every account and trunk a URI or trunk names exists and belongs to the same
 * account).
 *
 * @param instance this router's name in metrics ({@code instance} tag), or {@code null}
 * @param logging  what call log lines show (restart-only)
 * @param capture  HEP capture of SIP messages (restart-only)
 * @param tls      the router's certificate, trusted CAs and per-destination TLS rules
 */
public record SipvaneConfig(
        SipSettings sip,
        AdminSettings admin,
        HealthSettings health,
        DnsSettings dns,
        ShutdownSettings shutdown,
        StoreSettings store,
        String instance,
        List<Account> accounts,
        List<Trunk> trunks,
        List<OriginationUri> originationUris,
        LoggingSettings logging,
        CaptureSettings capture,
        TlsSettings tls) {

    public SipvaneConfig {
        logging = logging == null ? LoggingSettings.DEFAULT : logging;
        capture = capture == null ? CaptureSettings.OFF : capture;
        tls = tls == null ? TlsSettings.DEFAULT : tls;
        sip = sip == null ? SipSettings.DEFAULT : sip;
        admin = admin == null ? AdminSettings.DEFAULT : admin;
        health = health == null ? HealthSettings.DEFAULT : health;
        dns = dns == null ? DnsSettings.DEFAULT : dns;
        shutdown = shutdown == null ? ShutdownSettings.DEFAULT : shutdown;
        store = store == null ? StoreSettings.DEFAULT : store;
        if (instance != null) {
            io.sipvane.core.model.Checks.notBlank(instance, "instance");
        }
        accounts = List.copyOf(accounts);
        trunks = List.copyOf(trunks);
        originationUris = List.copyOf(originationUris);
        ConfigReferences.check(sip.listen(), accounts, trunks, originationUris);
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

    public Optional<Account> account(String authId) {
        return accounts.stream().filter(a -> a.authId().equals(authId)).findFirst();
    }

    public Optional<Trunk> trunk(UUID id) {
        return trunks.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    public Optional<OriginationUri> originationUri(UUID id) {
        return originationUris.stream().filter(u -> u.id().equals(id)).findFirst();
    }

    /** Every id in use, trunks and URIs alike, so a new object never reuses one. */
    public Set<UUID> ids() {
        Set<UUID> ids = new HashSet<>();
        trunks.forEach(t -> ids.add(t.id()));
        originationUris.forEach(u -> ids.add(u.id()));
        return ids;
    }

    public SipvaneConfig withTrunks(List<Trunk> newTrunks) {
        return withTenantData(accounts, newTrunks, originationUris);
    }

    public SipvaneConfig withOriginationUris(List<OriginationUri> newUris) {
        return withTenantData(accounts, trunks, newUris);
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
}
