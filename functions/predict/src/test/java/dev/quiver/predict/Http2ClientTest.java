package dev.quiver.predict;

import dev.quiver.testing.quarkus.TempModelStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that offers HTTP/2 on a cleartext connection, as Java's own HttpClient does by default, is answered in
 * HTTP/1.1 at every kind of door: the Quarkus REST resources (OIP) took such a request's body as already read and
 * answered 500.
 */
@QuarkusTest
@QuarkusTestResource(TempModelStore.class)
class Http2ClientTest {

    @TestHTTPResource("/v2/models/churn/infer")
    URI infer;

    @TestHTTPResource("/predict")
    URI predict;

    private static HttpResponse<String> post(URI uri, String json) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRestDoorReadsTheBodyOfAClientThatOffersHttp2() throws Exception {
        HttpResponse<String> r = post(infer,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,73],\"datatype\":\"FP64\",\"data\":[0]}]}");

        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("inputs[0].data").contains("needs 73");
    }

    @Test
    void aJsonRouteReadsTheBodyOfAClientThatOffersHttp2() throws Exception {
        HttpResponse<String> r = post(predict,
                dev.quiver.json.Json.MAPPER.writeValueAsString(ChurnRows.request(ChurnRows.batch(1))));

        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"predictions\"");
    }
}
