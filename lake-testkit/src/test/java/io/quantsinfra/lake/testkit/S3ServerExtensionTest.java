package io.quantsinfra.lake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(S3ServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ServerExtensionTest {

    private final List<S3TestServer> seen = new ArrayList<>();

    @Test
    void answersOnLoopbackAndRefusesUnsignedRequests(S3TestServer server) throws Exception {
        seen.add(server);
        assertEquals("127.0.0.1", server.endpoint().getHost());
        HttpResponse<String> response = get(server.endpoint().resolve("/" + server.bucket() + "/"));
        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("AccessDenied"), response.body());
    }

    @Test
    void sharesOneServerAcrossTheClassAndCreatesBuckets(S3TestServer server) {
        seen.add(server);
        server.createBucket("second");
        assertTrue(Files.isDirectory(server.objectFile("second", "")));
        assertThrows(IllegalStateException.class, () -> server.createBucket("second"));
    }

    @AfterAll
    void oneServerServedEveryTest() {
        assertEquals(2, seen.size());
        assertSame(seen.get(0), seen.get(1));
    }

    @Test
    void closeStopsTheServerAndDeletesItsBuckets() throws Exception {
        S3TestServer own = S3TestServer.start();
        URI bucket = own.endpoint().resolve("/" + own.bucket() + "/");
        own.close();
        assertFalse(Files.exists(own.objectFile(own.bucket(), "")));
        assertThrows(ConnectException.class, () -> get(bucket));
        own.close();
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
