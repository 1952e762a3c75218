package dev.quiver.s3.store;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an {@link S3ModelStore} keeps its models, as the functions configure it. {@link #validated} checks every
 * option and fails with an {@link IllegalArgumentException} whose message starts with the option's name.
 *
 * @param bucket      {@value #BUCKET}: the bucket's name (3 to 63 lowercase letters, digits, '.' and '-')
 * @param prefix      {@value #PREFIX}: what every key starts with, empty or names joined and ended by '/' (such as
 *                    {@code models/}); default empty
 * @param region      {@value #REGION}: the bucket's AWS region (such as {@code eu-west-1}); S3-compatible servers
 *                    mostly take any, often {@code us-east-1}
 * @param endpoint    {@value #ENDPOINT}: an S3-compatible server's http(s) address instead of AWS's; null: AWS
 * @param pathStyle   {@value #PATH_STYLE}: address the bucket in the path ({@code host/bucket/key}) rather than the
 *                    host name, as most S3-compatible servers need; default false
 * @param cacheDir    {@value #CACHE_DIR}: the local folder that artifacts are downloaded to, created when missing
 * @param credentials where the access keys come from; null: the SDK's default chain (environment, system properties,
 *                    profile, container and instance roles). Not a configuration key: keys are never configured
 */
public record S3ModelStoreOptions(String bucket, String prefix, String region, URI endpoint, boolean pathStyle,
                                  Path cacheDir, AwsCredentialsProvider credentials) {

    public static final String BUCKET = "quiver.store.s3.bucket";
    public static final String PREFIX = "quiver.store.s3.prefix";
    public static final String REGION = "quiver.store.s3.region";
    public static final String ENDPOINT = "quiver.store.s3.endpoint";
    public static final String PATH_STYLE = "quiver.store.s3.path-style";
    public static final String CACHE_DIR = "quiver.store.s3.cache-dir";

    /** S3's rules for new buckets: no uppercase, no "..", not shaped like an IP address. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** One segment of the prefix: what {@link dev.quiver.error.Check#name} takes for models and versions. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** Options for {@code bucket} in {@code region} at AWS, with no prefix and the default credentials. */
    public static S3ModelStoreOptions of(String bucket, String region, Path cacheDir) {
        return new S3ModelStoreOptions(bucket, "", region, null, false, cacheDir, null);
    }

    public S3ModelStoreOptions withPrefix(String prefix) {
        return new S3ModelStoreOptions(bucket, prefix, region, endpoint, pathStyle, cacheDir, credentials);
    }

    /** The same options for an S3-compatible server at {@code endpoint}, addressed path-style or not. */
    public S3ModelStoreOptions withEndpoint(URI endpoint, boolean pathStyle) {
        return new S3ModelStoreOptions(bucket, prefix, region, endpoint, pathStyle, cacheDir, credentials);
    }

    public S3ModelStoreOptions withCredentials(AwsCredentialsProvider credentials) {
        return new S3ModelStoreOptions(bucket, prefix, region, endpoint, pathStyle, cacheDir, credentials);
    }

    /**
     * These options, with a null prefix read as empty, once every option is valid.
     *
     * @throws IllegalArgumentException naming the first option that is not
     */
    public S3ModelStoreOptions validated() {
        bucket(bucket);
        String p = prefix(prefix);
        if (region == null || !REGION_NAME.matcher(region).matches()) {
            throw invalid(REGION, region, "must be an AWS region name such as eu-west-1 (lowercase letters, digits "
                    + "and '-')");
        }
        if (endpoint != null) {
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!endpoint.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))
                    || endpoint.getHost() == null || endpoint.getRawQuery() != null
                    || endpoint.getRawFragment() != null || endpoint.getRawUserInfo() != null) {
                throw invalid(ENDPOINT, endpoint, "must be an http or https address with a host and no user, query or "
                        + "fragment, such as http://127.0.0.1:9000");
            }
        }
        if (cacheDir == null) {
            throw new IllegalArgumentException(CACHE_DIR + " is required: the local folder artifacts are "
                    + "downloaded to");
        }
        return new S3ModelStoreOptions(bucket, p, region, endpoint, pathStyle, cacheDir, credentials);
    }

    /** Returns {@code bucket} when it is a valid bucket name. */
    static String bucket(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException(BUCKET + " is required");
        }
        if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")
                || IP_ADDRESS.matcher(bucket).matches()) {
            throw invalid(BUCKET, bucket, "must be 3 to 63 lowercase letters, digits, '.' or '-', starting and ending "
                    + "with a letter or digit, without '..', not an IP address");
        }
        return bucket;
    }

    /** Returns {@code prefix} (null read as empty) when it is empty or plain names each ended by '/'. */
    static String prefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String rule = "must be empty or names of letters, digits, '.', '_' and '-' (not starting with '.') each "
                + "followed by '/', such as models/";
        if (!prefix.endsWith("/") || prefix.length() > 512) {
            throw invalid(PREFIX, prefix, rule);
        }
        for (String segment : prefix.substring(0, prefix.length() - 1).split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw invalid(PREFIX, prefix, rule);
            }
        }
        return prefix;
    }

    private static IllegalArgumentException invalid(String option, Object value, String rule) {
        return new IllegalArgumentException(option + " '" + value + "' " + rule);
    }
}
