package dev.quiver.testing.s3;

import dev.quiver.testing.files.TempDirectory;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real S3-compatible server inside the test JVM: s3proxy over jclouds' filesystem backend, on a free loopback port
 * that the system picks, with one bucket created and its objects in a temporary folder that {@link #close} deletes.
 * Requests must be signed (SigV2 or SigV4) with {@link #accessKey} and {@link #secretKey}; any region is accepted.
 * Starts in well under a second. Modules that use it declare {@code org.gaul:s3proxy} with test scope (this module
 * has it as optional).
 *
 * <p>s3proxy 2.6.0 does not evaluate {@code If-None-Match} or {@code If-Match} on PUT Object: it writes
 * unconditionally, as its {@code S3ProxyHandler.handlePutBlob} never reads those headers. A test of conditional writes
 * against this server therefore shows what the server did, not what S3 would do.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "quiver-test";
    public static final String SECRET_KEY = "quiver-test-secret";
    public static final String REGION = "us-east-1";

    private final Path dir;
    private final String bucket;
    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3Server(Path dir, String bucket, BlobStoreContext context, S3Proxy proxy) {
        this.dir = dir;
        this.bucket = bucket;
        this.context = context;
        this.proxy = proxy;
    }

    /** Starts a server holding one empty bucket named {@code bucket}; returns once it accepts requests. */
    public static S3Server start(String bucket) {
        Path dir = TempDirectory.create("s3-");
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(p).build(BlobStoreContext.class);
        try {
            BlobStore blobs = context.getBlobStore();
            blobs.createContainerInLocation(null, bucket);
            // port 0: the system picks a free one as the server binds, so no other process can take it in between
            S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
            proxy.start();
            while (!proxy.getState().equals("STARTED")) {
                Thread.sleep(5);
            }
            return new S3Server(dir, bucket, context, proxy);
        } catch (Exception e) {
            context.close();
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
            context.close();
            TempDirectory.delete(dir);
        }
    }
}
