package dev.quiver.agent.function;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs calls to an API behind API Gateway's IAM authorizer with AWS Signature Version 4 (service
 * {@code execute-api}), with the credentials of the function's role. The body is part of the signature.
 */
final class SigV4 {

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final AwsCredentialsProvider credentials;
    private final String region;

    SigV4(AwsCredentialsProvider credentials, String region) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("quiver.agent.predict.region: sigv4 needs the API's region (AWS_REGION"
                    + " is not set)");
        }
        this.credentials = credentials;
        this.region = region;
    }

    /**
     * The headers to add to a request of {@code method} to {@code uri} with {@code headers} and {@code body} (null:
     * none): {@code Authorization}, {@code X-Amz-Date} and, for temporary credentials, {@code X-Amz-Security-Token}.
     * Host is left out: the HTTP client sends the URI's, which is what was signed.
     */
    Map<String, String> headers(String method, URI uri, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
        headers.forEach(request::putHeader);
        SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request.build())
                .payload(body == null ? null : ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        Map<String, String> added = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !headers.containsKey(name)) {
                added.put(name, String.join(",", values));
            }
        });
        return added;
    }
}
