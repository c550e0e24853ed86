package io.sipvane.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DigestTest {

    @Test
    void rfc2617Example_md5WithQopAuth() {
        // RFC 2617 section 3.5
        assertThat(Digest.response("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b"))
                .isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void rfc7616Example_md5AndSha256() {
        // RFC 7616 section 3.9.1
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        assertThat(Digest.response("MD5", "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html",
                nonce, "auth", "00000001", cnonce)).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(Digest.response("SHA-256", "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html",
                nonce, "auth", "00000001", cnonce)).isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void qopAndAlgorithmChoice() {
        assertThat(Digest.chooseQop("auth,auth-int")).isEqualTo("auth");
        assertThat(Digest.chooseQop(null)).isNull();
        assertThatThrownBy(() -> Digest.chooseQop("auth-int")).hasMessageContaining("auth-int");
        assertThat(Digest.supports("SHA-256-sess")).isTrue();
        assertThat(Digest.supports("SHA-512-256")).isFalse();
        assertThat(Digest.strength("SHA-256")).isGreaterThan(Digest.strength("MD5"));
    }
}
