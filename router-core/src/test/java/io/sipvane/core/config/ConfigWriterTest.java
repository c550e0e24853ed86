package io.sipvane.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.model.OriginationUri;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigWriterTest {

    @Test
    void incremental_isExactlyTheFullDump_firstAndAfterAChange() throws Exception {
        SipvaneConfig config = ConfigLoader.parse(ConfigLoaderTest.VALID, "test.yaml");
        ConfigWriter.Incremental incremental = new ConfigWriter.Incremental();

        assertThat(incremental.toYaml(config)).isEqualTo(ConfigWriter.toYaml(config));

        List<OriginationUri> uris = new ArrayList<>(config.originationUris());
        uris.set(0, uris.get(0).withPriority(7));
        SipvaneConfig changed = config.withOriginationUris(uris);

        assertThat(incremental.toYaml(changed)).isEqualTo(ConfigWriter.toYaml(changed)).contains("priority: 7");
        assertThat(ConfigLoader.parse(incremental.toYaml(changed), "again.yaml")).isEqualTo(changed);
    }

    @Test
    void incremental_followsInsertsAndDeletes() throws Exception {
        SipvaneConfig config = ConfigLoader.parse(ConfigLoaderTest.VALID, "test.yaml");
        ConfigWriter.Incremental incremental = new ConfigWriter.Incremental();
        incremental.toYaml(config);
        List<OriginationUri> uris = new ArrayList<>(config.originationUris());
        OriginationUri removed = uris.remove(0);

        SipvaneConfig deleted = config.withOriginationUris(uris);
        assertThat(incremental.toYaml(deleted)).isEqualTo(ConfigWriter.toYaml(deleted));

        uris.add(0, removed);
        uris.add(OriginationUri.of(java.util.UUID.randomUUID(), removed.accountId(), removed.trunkId(), removed.uri(), 9, 5));
        SipvaneConfig inserted = config.withOriginationUris(uris);
        assertThat(incremental.toYaml(inserted)).isEqualTo(ConfigWriter.toYaml(inserted));
    }

    @Test
    void incremental_shippedConfigAndEmptyLists_matchTheFullDump() throws Exception {
        SipvaneConfig shipped = ConfigLoader.load(Path.of("..", "config", "sipvane.yaml"));
        SipvaneConfig empty = shipped.withOriginationUris(List.of()).withTrunks(List.of());
        ConfigWriter.Incremental incremental = new ConfigWriter.Incremental();

        assertThat(incremental.toYaml(shipped)).isEqualTo(ConfigWriter.toYaml(shipped));
        assertThat(incremental.toYaml(empty)).isEqualTo(ConfigWriter.toYaml(empty));
        assertThat(incremental.toYaml(shipped)).isEqualTo(ConfigWriter.toYaml(shipped));
    }
}
