package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3LocationTest {

    @ParameterizedTest
    @CsvSource({
        "s3://quant-lake,            quant-lake, '',          s3://quant-lake",
        "s3://quant-lake/,           quant-lake, '',          s3://quant-lake",
        "s3://quant-lake/raw,        quant-lake, raw,         s3://quant-lake/raw",
        "s3://quant-lake/raw/,       quant-lake, raw,         s3://quant-lake/raw",
        "s3://quant.lake-2/raw/2025, quant.lake-2, raw/2025,  s3://quant.lake-2/raw/2025",
    })
    void parse_acceptsABucketWithOrWithoutPrefixAndTrailingSlash(String uri, String bucket, String prefix,
            String normalized) {
        S3Location location = S3Location.parse(uri);

        assertEquals(new S3Location(bucket, prefix), location);
        assertEquals(normalized, location.toString());
        assertEquals(location, S3Location.parse(location.toString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "quant-lake/raw            | starts with s3://",
        "S3://quant-lake/raw       | starts with s3://",
        "s3:/quant-lake            | starts with s3://",
        "s3://                     | no bucket",
        "s3:///raw                 | no bucket",
        "s3://Quant-Lake/raw       | bucket name 'Quant-Lake' is not valid",
        "s3://ab                   | bucket name 'ab' is not valid",
        "s3://quant_lake           | bucket name 'quant_lake' is not valid",
        "s3://-quant-lake          | bucket name '-quant-lake' is not valid",
        "s3://quant..lake          | two adjacent dots",
        "s3://192.168.1.10/raw     | looks like an IP address",
        "s3://quant-lake//raw      | prefix '/raw' has a leading or trailing slash",
        "s3://quant-lake/raw//2025 | prefix 'raw//2025' has an empty, '.' or '..' segment",
        "s3://quant-lake/raw/../x  | prefix 'raw/../x' has an empty, '.' or '..' segment",
        "s3://quant-lake/raw//     | prefix 'raw/' has a leading or trailing slash",
    })
    void parse_rejectsWithAMessageThatQuotesTheInput(String uri, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3Location.parse(uri));

        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("'" + uri + "'"), e.getMessage());
    }

    @Test
    void parse_acceptsALongestBucketName() {
        String bucket = "a".repeat(63);
        assertEquals(bucket, S3Location.parse("s3://" + bucket).bucket());
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://" + bucket + "a"));
    }

    @Test
    void key_joinsThePrefixAndARelativePath() {
        assertEquals("raw/d/part_00001.parquet", S3Location.parse("s3://quant-lake/raw/").key("d/part_00001.parquet"));
        assertEquals("d/part_00001.parquet", S3Location.parse("s3://quant-lake").key("d/part_00001.parquet"));
        assertEquals("raw/", S3Location.parse("s3://quant-lake/raw").keyPrefix());
        assertEquals("", S3Location.parse("s3://quant-lake").keyPrefix());
    }

    @Test
    void key_rejectsAbsoluteAndEmptyPaths() {
        S3Location location = S3Location.parse("s3://quant-lake/raw");
        assertThrows(IllegalArgumentException.class, () -> location.key("/d/x.parquet"));
        assertThrows(IllegalArgumentException.class, () -> location.key(""));
    }

    @Test
    void relativize_isTheInverseOfKey() {
        S3Location location = S3Location.parse("s3://quant-lake/raw");

        assertEquals("d/x.parquet", location.relativize(location.key("d/x.parquet")));
        assertThrows(IllegalArgumentException.class, () -> location.relativize("rawer/d/x.parquet"));
        assertThrows(IllegalArgumentException.class, () -> location.relativize("raw/"));
    }
}
