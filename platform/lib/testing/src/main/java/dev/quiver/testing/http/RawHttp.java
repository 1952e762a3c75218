package dev.quiver.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written byte by byte, for the requests no client library sends: an empty body with its
 * {@code Content-Length: 0}, a chunked body with a broken chunk, a multipart body that never ends. The answer is read
 * until the server closes the connection or the answer's own length is in, or until {@code timeoutMillis} pass: a
 * server that hangs shows as {@link Answer#timedOut}.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * What came back.
     *
     * @param status   the status line's code; 0 when nothing came
     * @param text     the whole answer as text, head and body
     * @param timedOut whether the wait ended before the answer did
     */
    public record Answer(int status, String text, boolean timedOut) {
        /** The body of the answer. */
        public String body() {
            int at = text.indexOf("\r\n\r\n");
            return at < 0 ? "" : text.substring(at + 4);
        }
    }

    /** Sends {@code head} (lines separated by CRLF, without the blank line) and {@code body} to the port on loopback. */
    public static Answer send(int port, String head, byte[] body, int timeoutMillis) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean timedOut = false;
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                    if (complete(got.toString(StandardCharsets.UTF_8))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                timedOut = true;
            } catch (IOException e) {
                // a reset after the answer: what came is the answer
            }
            String text = got.toString(StandardCharsets.UTF_8);
            int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
            return new Answer(status, text, timedOut);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code head} and a text body. */
    public static Answer send(int port, String head, String body, int timeoutMillis) {
        return send(port, head, body.getBytes(StandardCharsets.UTF_8), timeoutMillis);
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int eol = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
        return text.getBytes(StandardCharsets.UTF_8).length - (end + 4) >= length;
    }
}
