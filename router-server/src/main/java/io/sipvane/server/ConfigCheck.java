package io.sipvane.server;

import io.sipvane.core.config.ConfigException;
import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import io.sipvane.core.routing.UnusedUris;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

/**
 * {@code sipvane check --config FILE}: validates the file as a start or reload would, prints
 * the errors with their YAML path and line, reads the TLS files it names (a renewed
 * certificate can be checked before a SIGHUP), and starts nothing. Exit status 0 when valid,
 * 1 when not.
 */
final class ConfigCheck {
    private ConfigCheck() {}

    static int run(Path file, PrintStream out, PrintStream err) {
        SipvaneConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            err.println("sipvane: invalid config " + file + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("sipvane: cannot read config " + file + ": " + e);
            return 1;
        }
        try {
            new io.sipvane.sip.tls.RouterTls(config.tls());
        } catch (IOException e) {
            err.println("sipvane: invalid TLS files in " + file + ": " + e.getMessage());
            return 1;
        }
        Set<UUID> unused = UnusedUris.of(config);
        if (!unused.isEmpty()) {
            out.println("warning: " + UnusedUriWarning.describe(config, unused));
        }
        String data = config.store().isFile()
                ? config.accounts().size() + " account(s), " + config.trunks().size() + " trunk(s), "
                        + config.originationUris().size() + " origination URI(s)"
                : "tenant data in " + config.store().type().token() + " (not checked)";
        out.println(file + ": valid (" + data + ")");
        return 0;
    }
}
