package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.config.ObjectStoreSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.testkit.S3ServerExtension;
import io.quantsinfra.lake.testkit.S3TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Failures over real sockets, against S3Proxy or a closed port, and those S3Proxy cannot stage. */
@ExtendWith(S3ServerExtension.class)
class ObjectStoreErrorsTest {

    @Test
    void unknownAccessKey_saysSoAndPointsAtTheCredentialChain(S3TestServer server) {
        try (ObjectStore store = store(server, "nobody", S3TestServer.SECRET_KEY, server.bucket())) {
            LakeException e = failure(() -> store.list("raw/"));

            assertEquals("cannot list s3://lake-test/raw/: the object store does not know the access key id",
                    e.getMessage());
            assertEquals("s3://lake-test/raw/", e.subject());
            assertTrue(e.hint().orElseThrow().contains("AWS_ACCESS_KEY_ID"), e.hint().toString());
            assertInstanceOf(S3Exception.class, e.getCause());
        }
    }

    @Test
    void wrongSecretKey_saysTheSignatureDoesNotMatch(S3TestServer server) {
        try (ObjectStore store = store(server, S3TestServer.ACCESS_KEY, "wrong", server.bucket())) {
            LakeException e = failure(() -> store.put("raw/x", new byte[1], Map.of()));

            assertEquals("cannot write s3://lake-test/raw/x: the secret key does not match the access key id",
                    e.getMessage());
        }
    }

    @Test
    void wrongSecretKeyOnHead_whoseAnswerHasNoErrorCode_isAccessDenied(S3TestServer server) {
        try (ObjectStore store = store(server, S3TestServer.ACCESS_KEY, "wrong", server.bucket())) {
            LakeException e = failure(() -> store.head("raw/x"));

            assertEquals("cannot read metadata of s3://lake-test/raw/x: access denied", e.getMessage());
            assertTrue(e.hint().orElseThrow().contains("s3:GetObject"), e.hint().toString());
        }
    }

    @Test
    void missingBucket_namesTheBucket(S3TestServer server) {
        try (ObjectStore store = store(server, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, "no-such-lake")) {
            LakeException e = failure(() -> store.list("raw/"));

            assertEquals("cannot list s3://no-such-lake/raw/: bucket no-such-lake does not exist", e.getMessage());
            assertEquals("create the bucket, or fix the bucket in root_dir", e.hint().orElseThrow());
            assertEquals("bucket no-such-lake does not exist",
                    failure(() -> store.createMultipartUpload("raw/x", Map.of())).getMessage().split(": ", 2)[1]);
        }
    }

    @Test
    void endpointDown_saysItCannotConnect() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + closedPort);
        try (ObjectStore store = new ObjectStore(S3Clients.create(ObjectStoreSettings.pathStyle(endpoint, "us-east-1"),
                credentials(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)), "lake-test")) {
            LakeException e = failure(() -> store.list("raw/"));

            assertTrue(e.getMessage().startsWith("cannot list s3://lake-test/raw/: cannot connect to the object store at "
                    + endpoint + " ("), e.getMessage());
            assertEquals("check object_store.endpoint and that the store is up", e.hint().orElseThrow());
        }
    }

    @Test
    void noCredentials_pointsAtTheCredentialChain(S3TestServer server) {
        AwsCredentialsProvider none = () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        };
        try (ObjectStore store = new ObjectStore(S3Clients.create(
                ObjectStoreSettings.pathStyle(server.endpoint(), S3TestServer.REGION), none), server.bucket())) {
            LakeException e = failure(() -> store.list("raw/"));

            assertEquals("cannot list s3://lake-test/raw/: no credentials found", e.getMessage());
            assertEquals(ObjectStoreErrors.CREDENTIALS_HINT, e.hint().orElseThrow());
        }
    }

    @Test
    void clockSkew_saysToSynchroniseTheClock() {
        LakeException e = map(serviceError(403, "RequestTimeTooSkewed"));

        assertEquals("cannot list s3://quant-lake/raw/: this machine's clock differs too much from the object store's",
                e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("NTP"), e.hint().toString());
    }

    @Test
    void accessDenied_listsThePermissionsTheLakeNeeds() {
        LakeException e = map(serviceError(403, "AccessDenied"));

        assertEquals("cannot list s3://quant-lake/raw/: access denied", e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("s3:ListBucket"), e.hint().toString());
    }

    @Test
    void unknownHost_namesTheHost() {
        LakeException e = map(SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new UnknownHostException("minio.nowhere")).build());

        assertEquals("cannot list s3://quant-lake/raw/: unknown host minio.nowhere", e.getMessage());
    }

    @Test
    void otherServiceErrors_giveCodeStatusAndFirstLineOfTheMessage() {
        LakeException e = map(S3Exception.builder().statusCode(500).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("InternalError").errorMessage("We encountered an internal error.\nPlease retry.").build())
                .build());

        assertEquals("cannot list s3://quant-lake/raw/: the object store answered InternalError, HTTP 500:"
                + " We encountered an internal error.", e.getMessage());
    }

    private static LakeException map(SdkException e) {
        return ObjectStoreErrors.toLakeException(e, "list", "quant-lake", "s3://quant-lake/raw/", "http://store");
    }

    private static S3Exception serviceError(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("from the store").build())
                .build();
    }

    /** Runs a call that must fail, and checks what every mapped failure has in common. */
    private static LakeException failure(Executable call) {
        LakeException e = assertThrows(LakeException.class, call);
        assertEquals(LakeException.Kind.CONNECTION, e.kind());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("Request ID"), e.getMessage());
        assertTrue(e.hint().isPresent());
        return e;
    }

    private static ObjectStore store(S3TestServer server, String accessKey, String secretKey, String bucket) {
        return new ObjectStore(S3Clients.create(ObjectStoreSettings.pathStyle(server.endpoint(), S3TestServer.REGION),
                credentials(accessKey, secretKey)), bucket);
    }

    private static AwsCredentialsProvider credentials(String accessKey, String secretKey) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }
}
