package io.sipvane.sip.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sipvane.sip.testing.PrometheusText;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SipMetricsTest {
    @Test
    void malformed_isACounterPerTransport_presentAtZeroFromTheStart() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SipMetrics metrics = new SipMetrics(registry);
        Map<String, Double> before = PrometheusText.parse(registry.scrape());
        assertThat(PrometheusText.value(before, "sipvane_malformed_messages_total", "transport", "udp")).isZero();
        assertThat(PrometheusText.value(before, "sipvane_malformed_messages_total", "transport", "tcp")).isZero();

        metrics.malformed("udp");
        metrics.malformed("udp");
        metrics.malformed("tls");
        Map<String, Double> after = PrometheusText.parse(registry.scrape());
        assertThat(PrometheusText.value(after, "sipvane_malformed_messages_total", "transport", "udp")).isEqualTo(2);
        assertThat(PrometheusText.value(after, "sipvane_malformed_messages_total", "transport", "tls")).isEqualTo(1);
        assertThat(registry.scrape()).contains("# TYPE sipvane_malformed_messages_total counter");
    }
}
