package io.sipvane.admin.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The console's static files, read from the classpath once at start: {@code htmx.min.js}
 * from the htmx webjar (a Maven dependency, so no Node build step and no download at run
 * time) and the console's stylesheet. Unknown names are not served.
 */
final class StaticAssets {
    /** A file and its content type. */
    record Asset(byte[] bytes, String contentType) {}

    private static final String HTMX_POM = "/META-INF/maven/org.webjars.npm/htmx.org/pom.properties";

    private final Map<String, Asset> assets;

    StaticAssets() {
        String htmx = "/META-INF/resources/webjars/htmx.org/" + htmxVersion() + "/dist/htmx.min.js";
        this.assets = Map.of(
                "htmx.min.js", new Asset(read(htmx), "text/javascript; charset=utf-8"),
                "console.css", new Asset(read("/io/sipvane/admin/console/console.css"), "text/css; charset=utf-8"));
    }

    /** The asset named {@code name} (the last segment of {@code /console/assets/NAME}), or null. */
    Asset get(String name) {
        return assets.get(name);
    }

    /** The webjar's version, so that upgrading the dependency needs no code change. */
    static String htmxVersion() {
        try (InputStream in = StaticAssets.class.getResourceAsStream(HTMX_POM)) {
            if (in == null) {
                throw new IllegalStateException("the htmx webjar is missing from the classpath (" + HTMX_POM + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
