package io.sipvane.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit this jar was built from ({@code build.properties}, written by the
 * Maven build), for {@code sipvane --version} and the start-up line.
 */
record BuildInfo(String version, String commit) {

    static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource is an unknown build
        }
        return new BuildInfo(p.getProperty("version", "unknown"), p.getProperty("commit", "unknown"));
    }

    @Override
    public String toString() {
        return "sipvane " + version + " (commit " + commit + ")";
    }
}
