package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.config.ObjectStoreSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The conditional puts against a stand-in that enforces the conditions, as AWS S3 does and
 * S3Proxy 2.6.0 does not: it answers every PUT that carries a condition with the status under
 * test and records the condition it saw.
 */
class ConditionalPutTest {

    private HttpServer server;
    private ObjectStore store;
    private final List<String> conditions = new CopyOnWriteArrayList<>();
    private volatile int refusal = 412;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
            if (ifNoneMatch == null && ifMatch == null) {
                exchange.getResponseHeaders().add("ETag", "\"new\"");
                exchange.sendResponseHeaders(200, -1);
            } else {
                conditions.add(ifNoneMatch != null ? "If-None-Match: " + ifNoneMatch : "If-Match: " + ifMatch);
                String code = refusal == 412 ? "PreconditionFailed" : "ConditionalRequestConflict";
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                        + "</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(refusal, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        store = new ObjectStore(S3Clients.create(ObjectStoreSettings.pathStyle(endpoint, "us-east-1"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret"))), "quant-lake");
    }

    @AfterEach
    void stop() {
        store.close();
        server.stop(0);
    }

    @Test
    void putIfAbsent_sendsIfNoneMatchStar_andAPreconditionFailureIsEmpty() {
        assertEquals(Optional.empty(), store.putIfAbsent("raw/lock", new byte[1], Map.of()));
        assertEquals(List.of("If-None-Match: *"), conditions);
    }

    @Test
    void replaceIfMatch_sendsTheEtag_andAPreconditionFailureIsEmpty() {
        assertEquals(Optional.empty(), store.replaceIfMatch("raw/checkpoint", "\"v1\"", new byte[1], Map.of()));
        assertEquals(List.of("If-Match: \"v1\""), conditions);
    }

    @Test
    void aConcurrentConditionalWrite_409_isEmptyToo() {
        refusal = 409;
        assertEquals(Optional.empty(), store.putIfAbsent("raw/lock", new byte[1], Map.of()));
    }

    @Test
    void probe_findsBothConditionsEnforced() {
        // the first create succeeds on an empty store; the stand-in refuses every later condition
        server.removeContext("/");
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean conditional = exchange.getRequestHeaders().containsKey("If-None-Match")
                    || exchange.getRequestHeaders().containsKey("If-Match");
            boolean first = conditions.isEmpty();
            if (conditional) {
                conditions.add("seen");
            }
            if (conditional && !first) {
                exchange.sendResponseHeaders(412, -1);
            } else if (exchange.getRequestMethod().equals("POST")) {
                byte[] body = "<DeleteResult/>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.getResponseHeaders().add("ETag", "\"new\"");
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });

        assertEquals(new ObjectStore.ConditionalWrites(true, true), store.probeConditionalWrites("raw/.probe"));
    }
}
