package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.config.ObjectStoreSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.testkit.S3ServerExtension;
import io.quantsinfra.lake.testkit.S3TestServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/** What the clients {@link S3Clients} builds put on the wire, recorded just before sending. */
@ExtendWith(S3ServerExtension.class)
class S3ClientsTest {
    /** SHA-256 of ten zero bytes, hex. */
    private static final String TEN_ZEROS_SHA256 = "01d448afd928065458cf670b60f5a594d735af0172c8d67f22a81680132681ca";

    @Test
    void uploadsCarryNoFlexibleChecksum_andTheirBodysSignedHash_deletesCarryContentMd5(S3TestServer server) {
        List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.add(context.httpRequest());
            }
        };
        try (ObjectStore store = new ObjectStore(S3Clients.builder(
                ObjectStoreSettings.pathStyle(server.endpoint(), S3TestServer.REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(S3TestServer.ACCESS_KEY,
                        S3TestServer.SECRET_KEY)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
                .build(), server.bucket())) {
            store.put("wire/small", new byte[10], Map.of());
            String uploadId = store.createMultipartUpload("wire/big", Map.of());
            store.uploadPart("wire/big", uploadId, 1, new byte[10]);
            store.abortMultipartUpload("wire/big", uploadId);
            store.deleteAll(List.of("wire/small"));
        }

        List<SdkHttpRequest> uploads = sent.stream()
                .filter(r -> r.method().name().equals("PUT")).toList();
        assertEquals(2, uploads.size());
        for (SdkHttpRequest upload : uploads) {
            assertTrue(upload.headers().keySet().stream().map(String::toLowerCase)
                    .noneMatch(h -> h.startsWith("x-amz-checksum-") || h.equals("x-amz-sdk-checksum-algorithm")),
                    upload.headers().keySet().toString());
            // over plain HTTP the body's SHA-256 is signed whole, not framed in signed aws-chunked chunks
            assertEquals(Optional.of(TEN_ZEROS_SHA256), upload.firstMatchingHeader("x-amz-content-sha256"));
            assertEquals(Optional.empty(), upload.firstMatchingHeader("x-amz-decoded-content-length"));
            assertFalse(upload.firstMatchingHeader("Content-Encoding").orElse("").contains("aws-chunked"));
        }
        SdkHttpRequest delete = sent.get(sent.size() - 1);
        assertEquals("POST", delete.method().name());
        assertTrue(delete.firstMatchingHeader("Content-MD5").isPresent(), delete.headers().keySet().toString());
        assertTrue(sent.stream().allMatch(r -> r.encodedPath().startsWith("/" + server.bucket() + "/")
                || r.encodedPath().equals("/" + server.bucket())), sent.toString());
        assertEquals("127.0.0.1", sent.get(0).host());
    }
}
