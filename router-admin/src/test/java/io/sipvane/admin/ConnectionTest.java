package io.sipvane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sipvane.admin.AdminFixture.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin server's connection handling over raw sockets: pipelining, idle and trickling clients, /metrics access. */
class ConnectionTest {
    static final String CONFIG = AdminFixture.CONFIG.replace("  listen: \"127.0.0.1:0\"",
            "  listen: \"127.0.0.1:0\"\n  idle_timeout_ms: 400\n  metrics_token: \"scrape-secret\"");

    @TempDir
    Path dir;
    AdminFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    Socket connect() throws Exception {
        api = api != null ? api : new AdminFixture(dir, CONFIG);
        Socket s = new Socket("127.0.0.1", URI.create(api.base).getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; {@code null} at end of stream. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : h.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
        }
        return head.size() == 0 ? null : head.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() throws Exception {
        try (Socket s = connect()) {
            String body = "{\"uri\": \"sip:127.0.0.1:5071\"}";
            String auth = "X-Auth-ID: " + AdminFixture.ONE + "\r\nX-Auth-Token: " + AdminFixture.ONE_TOKEN + "\r\n";
            // a write (answered from the store's writer thread, after an fsync) then a probe answered at once
            String requests = "POST /api/v1/Account/" + AdminFixture.ONE + "/origination-uris HTTP/1.1\r\nHost: x\r\n" + auth
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /api/v1/Account/" + AdminFixture.ONE + "/trunks/origination-uris HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
            OutputStream out = s.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.UTF_8));
            out.flush();

            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(readResponse(s.getInputStream()));
            }

            assertThat(answers.get(0)).startsWith("HTTP/1.1 201").contains("sip:127.0.0.1:5071");
            assertThat(answers.get(1)).startsWith("HTTP/1.1 200").contains("\"status\":\"ok\"");
            assertThat(answers.get(2)).startsWith("HTTP/1.1 200").contains("\"total\":1");
        }
    }

    @Test
    void anIdleConnection_isClosed() throws Exception {
        try (Socket s = connect()) {
            assertThat(s.getInputStream().read()).isEqualTo(-1); // blocks until the server closes
        }
    }

    @Test
    void aTricklingRequest_isClosedAtItsDeadline_thoughItIsNeverIdle() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            byte[] request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            int[] sent = {0};
            // one byte every 100 ms: never 400 ms without traffic, and the request would take 10 s
            trickle.scheduleAtFixedRate(() -> {
                try {
                    if (sent[0] < request.length) {
                        out.write(request[sent[0]++]);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the server closed the connection: what the test waits for
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            String answer = readResponse(s.getInputStream());

            assertThat(answer).isNull();
            assertThat(sent[0]).isLessThan(request.length);
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void metrics_needTheBearerToken() throws Exception {
        api = new AdminFixture(dir, CONFIG);
        HttpRequest.Builder metrics = HttpRequest.newBuilder(URI.create(api.base + "/metrics"));

        Reply none = api.send(metrics);
        Reply wrong = api.send(HttpRequest.newBuilder(URI.create(api.base + "/metrics")).header("Authorization", "Bearer nope"));
        Reply tenant = api.send(api.plivo("/metrics"));
        Reply right = api.send(HttpRequest.newBuilder(URI.create(api.base + "/metrics"))
                .header("Authorization", "Bearer scrape-secret"));

        for (Reply r : new Reply[] {none, wrong, tenant}) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"sipvane-metrics\"");
        }
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.header("Content-Type")).startsWith("text/plain");
        assertThat(api.send(HttpRequest.newBuilder(URI.create(api.base + "/healthz"))).status()).isEqualTo(200);
    }
}
