package dev.quiver.testing.s3;

import dev.quiver.testing.files.TempDirectory;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.options.CreateContainerOptions;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.net.URI;
import java.nio.file.Path;

/**
 * A real S3-compatible server inside the test JVM: s3proxy 4 over its {@code filesystem-nio2} backend, on a free
 * loopback port that the system picks, with one bucket created and its objects in a temporary folder that
 * {@link #close} deletes. Requests must be signed (SigV2 or SigV4) with {@link #accessKey} and {@link #secretKey};
 * any region is accepted. Starts in well under a second. Modules that use it declare {@code org.gaul:s3proxy} with
 * test scope (this module has it as optional).
 *
 * <p>Conditional writes: a PUT with {@code If-None-Match: *} is atomic, as on S3: the backend publishes the object
 * with a hard link, which fails when the key exists, so of writers racing for one key exactly one succeeds and the
 * others get HTTP 412. A PUT with {@code If-Match: <etag>} is answered, but as a look at the object followed by an
 * unconditional write, so two writers holding the same ETag can both succeed; S3 compares and swaps atomically.
 * Listings are in ascending key order, as on S3, but also show each PUT still in flight as {@code <key>-<uuid>}.
 * Under concurrent PUTs a client sometimes loses the answer to one the server has made, and the SDK retries it: as
 * can happen with S3, a retried conditional create is then answered 412 by its own first attempt.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "quiver-test";
    public static final String SECRET_KEY = "quiver-test-secret";
    public static final String REGION = "us-east-1";

    private final Path dir;
    private final String bucket;
    private final BlobStore blobs;
    private final S3Proxy proxy;

    private S3Server(Path dir, String bucket, BlobStore blobs, S3Proxy proxy) {
        this.dir = dir;
        this.bucket = bucket;
        this.blobs = blobs;
        this.proxy = proxy;
    }

    /** Starts a server holding one empty bucket named {@code bucket}; returns once it accepts requests. */
    public static S3Server start(String bucket) {
        Path dir = TempDirectory.create("s3-");
        BlobStore blobs = new FilesystemNio2BlobStore(dir.toString());
        try {
            blobs.createContainer(bucket, CreateContainerOptions.NONE);
            // port 0: the system picks a free one as the server binds, so no other process can take it in between
            S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
            proxy.start();
            while (!proxy.getState().equals("STARTED")) {
                Thread.sleep(5);
            }
            return new S3Server(dir, bucket, blobs, proxy);
        } catch (Exception e) {
            blobs.close();
            TempDirectory.delete(dir);
            throw new IllegalStateException("the S3 server did not start", e);
        }
    }

    /** What clients connect to: {@code http://127.0.0.1:<port>}, with path-style bucket addressing. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public String bucket() {
        return bucket;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** The folder that holds the buckets, one folder each, their objects as files at their keys. */
    public Path directory() {
        return dir;
    }

    /** Stops the server and deletes every object it held. */
    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the S3 server did not stop", e);
        } finally {
            blobs.close();
            TempDirectory.delete(dir);
        }
    }
}
