package dev.quiver.predict.prediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.quiver.function.http.Failures;
import dev.quiver.prediction.PredictRequest;
import dev.quiver.prediction.PredictResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP door of the {@code predict} function, {@code POST /predict}: the same {@link PredictFunction},
 * called from a Vert.x route instead of through Funqy's HTTP binding.
 *
 * <p>Why: Funqy hands every call to a worker thread and back, which on a 2-core machine caps an echo
 * function at about 15,000 calls a second before any model runs. A small request (up to
 * {@value #INLINE_BODY_BYTES} bytes of body, a few dozen rows) is parsed, scored and answered on the event
 * loop in tens of microseconds; a larger one is moved to a worker thread so the event loop never waits on a
 * big batch, and so is a prediction by entity id when the online store is a network one (Redis). Funqy still
 * serves the function as a CloudEvent, with the same answers and errors; on Lambda this route answers
 * {@code /predict} behind API Gateway.
 */
@ApplicationScoped
public class PredictRoute {

    /** Bodies up to this size are scored on the event loop; larger ones on a worker thread. */
    static final int INLINE_BODY_BYTES = 16 * 1024;

    private static final String JSON = "application/json";

    private final PredictFunction function;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final ObjectMapper mapper;
    private final long maxBody;
    private final boolean storeBlocks;

    public PredictRoute(PredictFunction function, ObjectMapper mapper, dev.quiver.feature.OnlineStore store,
                        @ConfigProperty(name = "quarkus.http.limits.max-body-size") io.quarkus.runtime.configuration.MemorySize maxBody) {
        this.function = function;
        this.storeBlocks = !(store instanceof dev.quiver.feature.FileOnlineStore);
        this.mapper = mapper;
        this.reader = mapper.readerFor(PredictRequest.class);
        this.writer = mapper.writerFor(PredictResult.class);
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.post("/predict").order(-100).handler(BodyHandler.create(false).setBodyLimit(maxBody)).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body != null && body.length() > INLINE_BODY_BYTES) {
            ctx.vertx().executeBlocking(() -> {
                PredictRequest request;
                try {
                    request = parse(body);
                } catch (Exception e) {
                    answer(ctx, null, e);
                    return null;
                }
                answer(ctx, request, null);
                return null;
            }, false);
            return;
        }
        PredictRequest request;
        try {
            request = parse(body);
        } catch (Exception e) {
            answer(ctx, null, e);
            return;
        }
        if (request != null && request.entities() != null && storeBlocks) {
            // a network store (Redis) would hold the event loop for a round trip, or for its whole timeout when
            // it hangs, stalling every connection on that loop: wait for it on a worker thread instead
            ctx.vertx().executeBlocking(() -> {
                answer(ctx, request, null);
                return null;
            }, false);
        } else {
            answer(ctx, request, null);
        }
    }

    private PredictRequest parse(Buffer body) throws java.io.IOException {
        return body == null || body.length() == 0 ? null : reader.readValue(body.getBytes());
    }

    private void answer(RoutingContext ctx, PredictRequest request, Exception parseFailure) {
        int status;
        byte[] out;
        try {
            if (parseFailure != null) {
                throw parseFailure;
            }
            out = writer.writeValueAsBytes(function.predict(request));
            status = 200;
        } catch (Exception e) {
            Failures.Answer a = Failures.of(e);
            status = a.status();
            if (a.retryAfterSeconds() > 0) {
                ctx.response().putHeader("Retry-After", Long.toString(a.retryAfterSeconds()));
            }
            try {
                out = mapper.writeValueAsBytes(a.body());
            } catch (Exception unexpected) {
                out = "{\"error\":\"internal error\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(out));
    }
}
