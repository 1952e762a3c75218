package dev.quiver.s3.store;

import dev.quiver.testing.s3.S3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.file.Path;

/** Clients of a test {@link S3Server}, and what it does with conditional writes. */
final class TestS3 {

    private TestS3() {
    }

    static StaticCredentialsProvider credentials(S3Server server) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey()));
    }

    /** Store options for {@code server}'s bucket under {@code prefix}, caching in {@code cache}. */
    static S3ModelStoreOptions options(S3Server server, String prefix, Path cache) {
        return S3ModelStoreOptions.of(server.bucket(), server.region(), cache).withPrefix(prefix)
                .withEndpoint(server.endpoint(), true).withCredentials(credentials(server));
    }

    /** A raw client of {@code server}, for what a test does behind a store's back. */
    static S3Client client(S3Server server) {
        return S3Client.builder().region(Region.of(server.region())).endpointOverride(server.endpoint())
                .forcePathStyle(true).credentialsProvider(credentials(server))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /**
     * Whether {@code server} refuses a second {@code If-None-Match: *} put of one key and a put with a stale
     * {@code If-Match}, as S3 does (HTTP 412), rather than writing them.
     */
    static boolean honoursConditionalWrites(S3Client s3, String bucket) {
        String key = ".probe/conditional";
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("first"));
        boolean noneMatch = refused(() -> s3.putObject(r -> r.bucket(bucket).key(key).ifNoneMatch("*"),
                RequestBody.fromString("second")));
        boolean match = refused(() -> s3.putObject(r -> r.bucket(bucket).key(key).ifMatch("\"0123456789abcdef\""),
                RequestBody.fromString("third")));
        s3.deleteObject(r -> r.bucket(bucket).key(key));
        return noneMatch && match;
    }

    private static boolean refused(Runnable put) {
        try {
            put.run();
            return false;
        } catch (S3Exception e) {
            return e.statusCode() == 412;
        }
    }
}
