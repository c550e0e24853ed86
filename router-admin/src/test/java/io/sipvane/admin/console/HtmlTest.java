package io.sipvane.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void text_escapesEveryCharacterThatEndsContentOrAnAttribute() {
        assertThat(new Html().raw("<td title=\"").text("\"><script>alert('x')</script>&").raw("\">").toString())
                .isEqualTo("<td title=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\">");
        assertThat(Html.escape("plain")).isEqualTo("plain");
        assertThat(new Html().text(null).toString()).isEmpty();
    }
}
