package io.sipvane.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class CsrfTest {

    @Test
    void crossSite_refusesAnotherOriginOrSite_andAcceptsOurOwnOrNone() {
        assertThat(Csrf.crossSite(headers("Host", "127.0.0.1:8080"))).isNull();
        assertThat(Csrf.crossSite(headers("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080",
                "Sec-Fetch-Site", "same-origin"))).isNull();
        assertThat(Csrf.crossSite(headers("Host", "127.0.0.1:8080", "Sec-Fetch-Site", "none"))).isNull();
        assertThat(Csrf.crossSite(headers("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:9999"))).contains("Origin");
        assertThat(Csrf.crossSite(headers("Host", "127.0.0.1:8080", "Origin", "null"))).contains("Origin: null");
        assertThat(Csrf.crossSite(headers("Host", "127.0.0.1:8080", "Sec-Fetch-Site", "same-site"))).contains("same-site");
        assertThat(Csrf.crossSite(headers("Host", "127.0.0.1:8080", "Sec-Fetch-Site", "cross-site"))).contains("cross-site");
    }

    @Test
    void tokenMatches_onlyTheExactToken() {
        assertThat(Csrf.tokenMatches("abc", "abc")).isTrue();
        assertThat(Csrf.tokenMatches("abc", "abd")).isFalse();
        assertThat(Csrf.tokenMatches("abc", "")).isFalse();
        assertThat(Csrf.tokenMatches("abc", null)).isFalse();
        assertThat(Csrf.tokenMatches(null, null)).isFalse();
    }

    @Test
    void sentToken_isTheFormFieldElseTheHeader() {
        assertThat(Csrf.sentToken(Form.ofBody("csrf=f".getBytes()), headers("X-CSRF-Token", "h"))).isEqualTo("f");
        assertThat(Csrf.sentToken(Form.EMPTY, headers("X-CSRF-Token", "h"))).isEqualTo("h");
        assertThat(Csrf.sentToken(Form.EMPTY, headers())).isNull();
    }

    private static HttpHeaders headers(String... pairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            h.add(pairs[i], pairs[i + 1]);
        }
        return h;
    }
}
