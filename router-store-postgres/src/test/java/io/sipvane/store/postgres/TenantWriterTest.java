package io.sipvane.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.core.store.ConfigStore.StoreUnavailableException;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The diff a write sends, and which database errors mean "unavailable"; no database needed. */
class TenantWriterTest {
    record Row(String id, int weight) {}

    private static final Function<Row, String> ID = Row::id;

    @Test
    void changed_isWhatIsNewOrDifferent_gone_isWhatDisappeared() {
        List<Row> before = List.of(new Row("a", 1), new Row("b", 1), new Row("c", 1));
        List<Row> after = List.of(new Row("a", 1), new Row("b", 2), new Row("d", 1));

        assertThat(TenantWriter.changed(before, after, ID)).containsExactly(new Row("b", 2), new Row("d", 1));
        assertThat(TenantWriter.gone(before, after, ID)).containsExactly("c");
        assertThat(TenantWriter.changed(before, before, ID)).isEmpty();
        assertThat(TenantWriter.gone(before, before, ID)).isEmpty();
    }

    @Test
    void connectionErrors_areUnavailable_otherErrorsAreNot() {
        assertThat(Failures.isUnavailable(new SQLException("refused", "08001"))).isTrue();
        assertThat(Failures.isUnavailable(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(Failures.isUnavailable(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(Failures.isUnavailable(new SQLException("no state"))).isTrue();
        assertThat(Failures.isUnavailable(new SQLException("duplicate key", "23505"))).isFalse();

        assertThat(Failures.toStoreException(new SQLException("refused", "08001")))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(Failures.RETRY_AFTER_S))
                .hasMessageContaining("refused");
        assertThat(Failures.toStoreException(new SQLException("duplicate key", "23505")))
                .isNotInstanceOf(StoreUnavailableException.class).hasMessageContaining("refused the write");
    }
}
