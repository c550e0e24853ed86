package io.sipvane.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSettingsTest {
    private static final String POSTGRES = """
            instance: router-a
            store:
              type: postgres
              url: "jdbc:postgresql://127.0.0.1:5432/sipvane"
              user: sipvane
              password_env: PATH
              poll_interval_ms: 2000
            """;

    @Test
    void absent_isTheFileStore() throws Exception {
        SipvaneConfig config = ConfigLoader.parse("admin: { listen: \"127.0.0.1:0\" }\n", "test.yaml");

        assertThat(config.store()).isEqualTo(StoreSettings.DEFAULT);
        assertThat(config.store().isFile()).isTrue();
        assertThat(config.instance()).isNull();
    }

    @Test
    void postgres_isRead_andSavedBackUnchanged(@TempDir Path dir) throws Exception {
        SipvaneConfig config = ConfigLoader.parse(POSTGRES, "test.yaml");

        assertThat(config.instance()).isEqualTo("router-a");
        assertThat(config.store()).isEqualTo(new StoreSettings(StoreSettings.Type.POSTGRES,
                "jdbc:postgresql://127.0.0.1:5432/sipvane", "sipvane", null, "PATH", 2000));
        assertThat(config.store().resolvePassword()).isEqualTo(System.getenv("PATH"));
        Path file = dir.resolve("sipvane.yaml");
        ConfigWriter.save(config, file);
        assertThat(ConfigLoader.load(file)).isEqualTo(config);
    }

    @Test
    void toString_neverShowsThePassword() {
        StoreSettings s = new StoreSettings(StoreSettings.Type.POSTGRES, "jdbc:postgresql://db/sipvane", "sipvane",
                "hunter2", null, 1000);

        assertThat(s.toString()).doesNotContain("hunter2").contains("jdbc:postgresql://db/sipvane");
    }

    @Test
    void errors_nameTheFieldAndLine() {
        assertThatThrownBy(() -> ConfigLoader.parse(POSTGRES.replace("type: postgres", "type: mysql"), "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessage("store.type: line 3: \"mysql\" (expected: file or postgres)");
        assertThatThrownBy(() -> ConfigLoader.parse(POSTGRES.replace("jdbc:postgresql:", "jdbc:mysql:"), "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("store.url: line 4: ")
                .hasMessageContaining("expected: jdbc:postgresql://host:port/database");
        assertThatThrownBy(() -> ConfigLoader.parse(POSTGRES.replace("password_env: PATH", "password_env: NO_SUCH_VAR_X"),
                "test.yaml")).isInstanceOf(ConfigException.class)
                .hasMessage("store.password_env: line 6: environment variable NO_SUCH_VAR_X is not set");
        assertThatThrownBy(() -> ConfigLoader.parse(POSTGRES.replace("    user: sipvane\n", "  user: sipvane\n")
                .replace("  user: sipvane\n", ""), "test.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("user: missing");
        assertThatThrownBy(() -> ConfigLoader.parse("store: { type: file, url: \"jdbc:postgresql://x/y\" }\n", "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessage("store.type: line 1: file takes no url, user or password (expected: type: postgres)");
        assertThatThrownBy(() -> ConfigLoader.parse("store: { typ: postgres }\n", "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("typ");
        assertThatThrownBy(() -> ConfigLoader.parse("instance: \"\"\n", "test.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("instance: line 1: blank");
    }
}
