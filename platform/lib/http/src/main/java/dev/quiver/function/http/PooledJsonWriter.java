package dev.quiver.function.http;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.CompositeByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.VertxByteBufAllocator;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a JSON answer from pooled direct memory, the memory the socket is written from, and sends a large one in
 * parts. {@link #encode} lets Jackson write into parts that are added as the output grows and never copied into one;
 * a byte array would be copied twice more before the socket (into a heap buffer, then into direct memory).
 * {@link #send} then hands an answer over {@link #WRITE_PART_BYTES} to the socket in parts of that size, each its
 * own write, as nginx writes its output buffers: handed to the kernel in one write under BBR congestion control, a
 * large answer is often paced out in two halves milliseconds apart (docs/performance.md, Online features).
 *
 * <p>Ownership: the buffer {@link #encode} returns belongs to the caller until it is given to {@link #send}, which
 * releases it once the socket is done with it, on every path (a connection that is gone, a write that fails, a
 * {@code send} that throws). Vert.x does not release a buffer it did not allocate, so nothing else will.
 *
 * <p>Bounds: an answer takes as much pooled memory as its JSON, held from {@code encode} until its last write
 * completes; nothing here caps it, since the function's answer is what bounds it.
 *
 * <p>Threading: both may be called on any thread; {@code send} must be called once per response, with nothing else
 * writing to it.
 */
final class PooledJsonWriter {

    /** Answers larger than this go to the socket in parts of this size. */
    static final int WRITE_PART_BYTES = 32 * 1024;

    private PooledJsonWriter() {
    }

    /**
     * The JSON of {@code value} in a pooled direct buffer that the caller owns; when writing fails, the memory is
     * given back and the failure thrown.
     */
    static ByteBuf encode(ObjectWriter writer, Object value) throws IOException {
        CompositeByteBuf out = VertxByteBufAllocator.POOLED_ALLOCATOR.compositeDirectBuffer(Integer.MAX_VALUE);
        try {
            writer.writeValue((OutputStream) new ByteBufOutputStream(out), value);
            return out;
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Sends {@code body} as the whole answer, with the status and headers already set, and releases it once the
     * socket has taken it. An answer over {@link #WRITE_PART_BYTES} gets a {@code Content-Length} and goes in parts,
     * from a task of the event loop when called on one: while Vert.x reads a connection it holds back that
     * connection's writes until the read ends, and Netty would then hand all the parts to the kernel in one
     * {@code writev}, the single write the parts are there to avoid.
     */
    static void send(HttpServerResponse response, ByteBuf body) {
        int length = body.readableBytes();
        try {
            if (length <= WRITE_PART_BYTES) {
                response.end(Buffer.buffer(body)).onComplete(written -> body.release());
                return;
            }
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(length));
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        Context loop = Vertx.currentContext();
        if (loop != null && Context.isOnEventLoopThread()) {
            loop.runOnContext(v -> sendInParts(response, body, length));
        } else {
            sendInParts(response, body, length);
        }
    }

    private static void sendInParts(HttpServerResponse response, ByteBuf body, int length) {
        List<Future<Void>> sent = new ArrayList<>();
        try {
            for (int at = 0; at < length; at += WRITE_PART_BYTES) {
                sent.add(response.write(Buffer.buffer(body.slice(body.readerIndex() + at,
                        Math.min(WRITE_PART_BYTES, length - at)))));
            }
            sent.add(response.end());
        } catch (RuntimeException e) {
            // the connection is gone: nothing more can be sent, and what was is released below
        } finally {
            // once every write sent is done with, the socket holds no part of the memory
            Future.join(sent).onComplete(done -> body.release());
        }
    }
}
