package dev.omni.bench.messaging;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpSinkTest {

    private static final Map<String, String> SAMPLE = Map.of("text", "Hello\n.leading dot\n", "html", "<p>Hi</p>");

    @Test
    void countsEveryMailByItsMessageIdOverKeptOpenConnections() throws Exception {
        try (SmtpSink sink = SmtpSink.start(0, 1)) {
            RawSmtp.Result result = new RawSmtp("127.0.0.1", sink.port())
                    .send(List.of("run-0@bench.omni.local", "run-1@bench.omni.local"), 50, 4, SAMPLE);

            assertThat(result.sent()).isEqualTo(50);
            assertThat(sink.mails()).isEqualTo(50);
            assertThat(sink.connections()).isEqualTo(4);
            for (int n = 0; n < 50; n++) {
                assertThat(sink.count("run-" + n)).as("mail %d", n).isEqualTo(1);
            }
            assertThat(sink.count("run-50")).isZero();
        }
    }

    @Test
    void answersPipelinedCommandsInOrderAndCountsARepeatedIdTwice() throws Exception {
        try (SmtpSink sink = SmtpSink.start(0, 1); Socket socket = new Socket("127.0.0.1", sink.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            String mail = "MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nX-Omni-Message-Id: same\r\nSubject: s\r\n\r\n"
                    + "..not a header\r\nX-Omni-Message-Id: in-the-body\r\n.\r\n";
            out.write(("EHLO client\r\n" + mail + mail + "QUIT\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();

            List<String> codes = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.length() > 3 && line.charAt(3) == '-') {
                    assertThat(line).startsWith("250-");
                    continue;
                }
                codes.add(line.substring(0, 3));
            }
            assertThat(codes).containsExactly("220", "250", "250", "250", "354", "250", "250", "250", "354", "250",
                    "221");
            assertThat(sink.count("same")).isEqualTo(2);
            assertThat(sink.count("in-the-body")).isZero();
            assertThat(sink.withoutId()).isZero();
        }
    }
}
