package dev.quiver.s3.store;

import dev.quiver.testing.s3.S3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;

/** Clients of a test {@link S3Server}. */
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
}
