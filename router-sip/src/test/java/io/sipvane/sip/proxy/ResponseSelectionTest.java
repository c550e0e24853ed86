package io.sipvane.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResponseSelectionTest {
    @Test
    void isBetter_firstResponseAlwaysWins() {
        assertThat(ResponseSelection.isBetter(503, 0)).isTrue();
    }

    @Test
    void isBetter_lowerClassWins() {
        assertThat(ResponseSelection.isBetter(480, 503)).isTrue();
        assertThat(ResponseSelection.isBetter(503, 480)).isFalse();
        assertThat(ResponseSelection.isBetter(302, 404)).isTrue();
    }

    @Test
    void isBetter_sameClassKeepsFirst() {
        assertThat(ResponseSelection.isBetter(500, 503)).isFalse();
    }

    @Test
    void isBetter_4xxThatGuidesResubmissionWinsWithinItsClass() {
        assertThat(ResponseSelection.isBetter(484, 480)).isTrue();
        assertThat(ResponseSelection.isBetter(415, 404)).isTrue();
        assertThat(ResponseSelection.isBetter(480, 420)).isFalse();
        assertThat(ResponseSelection.isBetter(420, 484)).as("first of the preferred ones").isFalse();
        assertThat(ResponseSelection.isBetter(484, 302)).as("never across classes").isFalse();
    }

    @Test
    void isBetter_6xxWinsAndStays() {
        assertThat(ResponseSelection.isBetter(603, 480)).isTrue();
        assertThat(ResponseSelection.isBetter(302, 603)).isFalse();
    }

    @Test
    void relayedCode_503Becomes500() {
        assertThat(ResponseSelection.relayedCode(503)).isEqualTo(500);
        assertThat(ResponseSelection.relayedCode(480)).isEqualTo(480);
    }
}
