package io.sipvane.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.config.ConfigLoader;
import io.sipvane.core.config.SipvaneConfig;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TrunkViewTest {
    private static final String ACCOUNT = "MAVIEW00000000000001";

    @Test
    void of_groupsByPriority_keepsDisabledUris_andComputesBothShares() throws Exception {
        SipvaneConfig config = ConfigLoader.parse("""
                accounts: [ { auth_id: MAVIEW00000000000001, auth_token: t }, { auth_id: MAVIEW00000000000002, auth_token: t } ]
                trunks:
                  - { id: 7f0c1f5e-0000-4000-8000-000000000001, account_id: MAVIEW00000000000001, name: t1, match: { numbers: ["1"] } }
                  - { id: 7f0c1f5e-0000-4000-8000-000000000002, account_id: MAVIEW00000000000002, name: other, match: { numbers: ["2"] } }
                origination_uris:
                  - { id: aabbccdd-0000-4000-8000-000000000001, account_id: MAVIEW00000000000001, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, uri: "sip:10.0.0.1", priority: 2, weight: 10 }
                  - { id: aabbccdd-0000-4000-8000-000000000002, account_id: MAVIEW00000000000001, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, uri: "sip:10.0.0.2", priority: 1, weight: 10 }
                  - { id: aabbccdd-0000-4000-8000-000000000003, account_id: MAVIEW00000000000001, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, uri: "sip:10.0.0.3", priority: 1, weight: 30 }
                  - { id: aabbccdd-0000-4000-8000-000000000004, account_id: MAVIEW00000000000001, trunk_id: 7f0c1f5e-0000-4000-8000-000000000001, uri: "sip:10.0.0.4", priority: 1, weight: 60, enabled: false }
                  - { id: aabbccdd-0000-4000-8000-000000000005, account_id: MAVIEW00000000000001, uri: "sip:10.0.0.5" }
                  - { id: aabbccdd-0000-4000-8000-000000000006, account_id: MAVIEW00000000000002, trunk_id: 7f0c1f5e-0000-4000-8000-000000000002, uri: "sip:10.0.0.6" }
                """, "test.yaml");
        Map<UUID, ConsoleData.UriTraffic> traffic = Map.of(id(2), new ConsoleData.UriTraffic(1, 0), id(3), new ConsoleData.UriTraffic(3, 2));
        ConsoleData data = new ConsoleData() {
            @Override
            public UriHealth health(UUID uriId) {
                return new UriHealth("up", "", null);
            }

            @Override
            public UriTraffic traffic(UUID uriId) {
                return traffic.getOrDefault(uriId, UriTraffic.NONE);
            }

            @Override
            public List<RecentCall> recentCalls(String accountId) {
                return List.of();
            }
        };

        List<TrunkView> views = TrunkView.of(config, ACCOUNT, data);

        assertThat(views).hasSize(2);
        TrunkView t1 = views.get(0);
        assertThat(t1.trunk().name()).isEqualTo("t1");
        assertThat(t1.bestPriority()).isEqualTo(1);
        assertThat(t1.groups()).extracting(TrunkView.Group::priority).containsExactly(1, 2);
        List<TrunkView.Row> first = t1.groups().get(0).rows();
        assertThat(first).extracting(r -> r.uri().id()).containsExactly(id(2), id(3), id(4));
        assertThat(first).extracting(TrunkView.Row::configuredShare).containsExactly(0.25, 0.75, 0.0);
        assertThat(first).extracting(TrunkView.Row::observedShare).containsExactly(0.25, 0.75, 0.0);
        assertThat(t1.groups().get(1).rows().get(0).observedShare()).isNull();
        // the account-level URI: the trunk owns URIs, so no trunk routes it
        assertThat(views.get(1).trunk()).isNull();
        assertThat(views.get(1).groups().get(0).rows()).extracting(r -> r.uri().id()).containsExactly(id(5));
    }

    private static UUID id(int n) {
        return UUID.fromString("aabbccdd-0000-4000-8000-00000000000" + n);
    }
}
