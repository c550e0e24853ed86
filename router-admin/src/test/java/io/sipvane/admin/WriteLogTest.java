package io.sipvane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteLogTest {
    record Uri(String name, int weight, String password, java.time.Instant updatedAt) {}

    @Test
    void anUpdateNamesEachChangedField_andNeverPrintsASecret() {
        Uri before = new Uri("PBX A", 10, "old-secret", java.time.Instant.EPOCH);
        Uri after = new Uri("PBX A", 0, "new-secret", java.time.Instant.now());

        assertThat(WriteLog.changes(before, after)).containsExactly("weight: 10 -> 0", "password changed");
    }

    @Test
    void aCreateListsTheFieldsSet() {
        assertThat(WriteLog.changes(null, new Uri("PBX B", 20, null, null))).containsExactly("name=PBX B", "weight=20");
    }

    @Test
    void aDeleteHasNoFields() {
        assertThat(WriteLog.changes(new Uri("PBX B", 20, "s", null), null)).isEmpty();
    }
}
