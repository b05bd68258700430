package io.quantsinfra.lake.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's S3 server over a directory it keeps: signed requests are the S3 client tests' business (lake-s3);
 * here, what the demo relies on when it runs twice.
 */
@Timeout(60)
class DemoS3ServerTest {

    @TempDir
    Path temp;

    @Test
    void keepsItsBucketsInTheDirectory_andStartsAgainOverThem() throws Exception {
        Path dir = temp.resolve("s3");
        URI bucket;
        try (DemoS3Server server = DemoS3Server.start(dir, "demo-lake")) {
            assertEquals("127.0.0.1", server.endpoint().getHost());
            assertEquals(dir.toAbsolutePath(), server.directory());
            bucket = server.endpoint().resolve("/demo-lake/");
            HttpResponse<String> unsigned = get(bucket);
            assertEquals(403, unsigned.statusCode(), "only the demo's keys may list it");
            assertTrue(unsigned.body().contains("AccessDenied"), unsigned.body());
            Files.writeString(server.objectFile("demo-lake", "kept.txt"), "kept");
        }
        assertThrows(ConnectException.class, () -> get(bucket));
        assertTrue(Files.isRegularFile(dir.resolve("demo-lake/kept.txt")), "close keeps the objects");

        try (DemoS3Server again = DemoS3Server.start(dir, "demo-lake")) {
            assertEquals(403, get(again.endpoint().resolve("/demo-lake/")).statusCode());
            assertThrows(IllegalStateException.class, () -> again.createBucket("demo-lake"));
            assertEquals("kept", Files.readString(again.objectFile("demo-lake", "kept.txt")));
        }
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
