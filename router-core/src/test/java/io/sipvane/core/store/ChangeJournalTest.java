package io.sipvane.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeJournalTest {
    @TempDir
    Path dir;

    @Test
    void records_comeBackInOrder_afterReopening() throws Exception {
        Path path = dir.resolve(".j");
        try (ChangeJournal journal = ChangeJournal.open(path)) {
            journal.append(bytes("one"));
            journal.append(bytes(""));
            journal.append(bytes("three"));
            assertThat(journal.count()).isEqualTo(3);
        }
        try (ChangeJournal journal = ChangeJournal.open(path)) {
            assertThat(journal.records()).extracting(ChangeJournalTest::text).containsExactly("one", "", "three");
            assertThat(journal.size()).isEqualTo(Files.size(path));
        }
    }

    @Test
    void aRecordCutShortAnywhere_isDropped_andTheNextAppendFollowsTheLastCompleteOne() throws Exception {
        Path path = dir.resolve(".j");
        try (ChangeJournal journal = ChangeJournal.open(path)) {
            journal.append(bytes("kept"));
            journal.append(bytes("torn record"));
        }
        byte[] whole = Files.readAllBytes(path);
        int firstEnd = 8 + 4;
        for (int cut = firstEnd; cut < whole.length; cut++) {
            Files.write(path, Arrays.copyOf(whole, cut));
            try (ChangeJournal journal = ChangeJournal.open(path)) {
                assertThat(journal.records()).as("cut at %d", cut).extracting(ChangeJournalTest::text).containsExactly("kept");
                assertThat(Files.size(path)).isEqualTo(firstEnd);
                journal.append(bytes("next"));
            }
            try (ChangeJournal journal = ChangeJournal.open(path)) {
                assertThat(journal.records()).extracting(ChangeJournalTest::text).containsExactly("kept", "next");
            }
        }
    }

    @Test
    void aCorruptRecord_endsTheJournalThere() throws Exception {
        Path path = dir.resolve(".j");
        try (ChangeJournal journal = ChangeJournal.open(path)) {
            journal.append(bytes("one"));
            journal.append(bytes("two"));
            journal.append(bytes("three"));
        }
        byte[] whole = Files.readAllBytes(path);
        whole[8 + 3 + 8 + 1] ^= 0x20; // a bit of "two" flipped

        Files.write(path, whole);

        try (ChangeJournal journal = ChangeJournal.open(path)) {
            assertThat(journal.records()).extracting(ChangeJournalTest::text).containsExactly("one");
        }
    }

    @Test
    void clear_dropsEverything_andIsOwnerOnly() throws Exception {
        Path path = dir.resolve(".j");
        try (ChangeJournal journal = ChangeJournal.open(path)) {
            journal.append(bytes("secret: token"));
            journal.clear();
            assertThat(journal.records()).isEmpty();
            assertThat(journal.size()).isZero();
        }
        assertThat(Files.size(path)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
