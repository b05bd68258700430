package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.config.ObjectStoreSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the {@link S3Client} an {@link ObjectStore} talks through.
 *
 * <p>Every client it builds:
 * <ul>
 *   <li>sends and checks checksums only where the operation requires one. Current SDKs otherwise
 *       add CRC32 trailers and {@code x-amz-sdk-checksum-algorithm} to every upload, which many
 *       S3-compatible stores (S3Proxy among them) reject as {@code NotImplemented}. Where an
 *       operation requires one (DeleteObjects), it adds {@code Content-MD5}, which older stores
 *       require, to the SDK's CRC32, which it sends there whatever the setting;
 *   <li>over plain HTTP, signs each upload's body by its SHA-256 in one header (S3 rejects a body
 *       that does not match), instead of framing it in signed {@code aws-chunked} chunks: the same integrity,
 *       without a copy of every byte into chunk buffers. Over HTTPS the SDK sends
 *       {@code UNSIGNED-PAYLOAD} either way, TLS guarding the bytes;
 *   <li>uses the JDK's {@code HttpURLConnection} (the SDK's url-connection-client), which streams
 *       bodies of known length, instead of Apache HttpClient or Netty and their jars;
 *   <li>gives up connecting after {@link #CONNECT_TIMEOUT} and waiting for data after
 *       {@link #READ_TIMEOUT}.
 * </ul>
 */
public final class S3Clients {

    /** How long to wait for a TCP connection to the store. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** How long a connection may stay silent while a request or response is under way. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private S3Clients() {
    }

    /**
     * Builds a client that finds credentials through the AWS SDK's default chain: the
     * environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), system properties,
     * web identity, {@code ~/.aws/credentials} and {@code AWS_PROFILE}, then container and
     * instance roles. A lake's configuration never holds credentials.
     *
     * @param settings where the store is
     * @return a client the caller closes
     */
    public static S3Client create(ObjectStoreSettings settings) {
        return create(settings, DefaultCredentialsProvider.builder().build());
    }

    /**
     * Builds a client with the given credentials, e.g. a test's static keys.
     *
     * @param settings    where the store is
     * @param credentials where to get the credentials from; the client does not close it
     * @return a client the caller closes
     */
    public static S3Client create(ObjectStoreSettings settings, AwsCredentialsProvider credentials) {
        return builder(settings, credentials).build();
    }

    /**
     * The keys in {@code env} ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, and
     * {@code AWS_SESSION_TOKEN} if set), else the AWS SDK's default chain, which reads the
     * process's own environment, profiles and roles.
     */
    public static AwsCredentialsProvider credentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String token = env.get("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token));
    }

    /** The builder behind {@link #create}, for tests that add an interceptor. */
    static S3ClientBuilder builder(ObjectStoreSettings settings, AwsCredentialsProvider credentials) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(credentials, "credentials");
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Content-MD5, not a CRC32 header, for the operations that need a checksum (DeleteObjects)
                .addPlugin(LegacyMd5Plugin.create())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(READ_TIMEOUT));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }
}
