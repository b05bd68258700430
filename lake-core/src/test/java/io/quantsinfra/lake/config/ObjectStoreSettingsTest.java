package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectStoreSettingsTest {

    @Test
    void aws_hasNoEndpointAndVirtualHostedAddressing() {
        ObjectStoreSettings settings = ObjectStoreSettings.aws("eu-central-1");

        assertEquals(Optional.empty(), settings.endpoint());
        assertFalse(settings.pathStyle());
    }

    @Test
    void pathStyle_keepsTheEndpoint() {
        ObjectStoreSettings settings = ObjectStoreSettings.pathStyle(URI.create("https://minio.internal:9000"),
                "us-east-1");

        assertEquals(Optional.of(URI.create("https://minio.internal:9000")), settings.endpoint());
        assertTrue(settings.pathStyle());
    }

    @Test
    void rejectsABlankRegion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectStoreSettings.aws(" "));
        assertEquals("region must not be blank", e.getMessage());
    }

    @Test
    void rejectsAnEndpointThatIsNotAnHttpUrl() {
        for (String endpoint : new String[] {"minio.internal:9000", "ftp://minio.internal", "s3://quant-lake"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ObjectStoreSettings.pathStyle(URI.create(endpoint), "us-east-1"));
            assertTrue(e.getMessage().contains("'" + endpoint + "'"), e.getMessage());
        }
    }
}
