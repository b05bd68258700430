package io.quantsinfra.lake.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of a lake kept in an object store, {@code root_dir: s3://bucket/prefix}: its root, each
 * profile's location below it, and the {@code object_store:} section with its defaults.
 * {@link ConfigResolver} applies them beside its own. What a valid location or setting looks like
 * is for {@link S3Location} and {@link ObjectStoreSettings} to say: their messages become the findings.
 */
final class ObjectStoreRules {
    /** The section's key, as findings name it. */
    static final String SECTION = "object_store";
    private static final String ENDPOINT = SECTION + ".endpoint";
    private static final String REGION = SECTION + ".region";

    /** The region signed for when an endpoint is set and no region is: what S3-compatible stores accept. */
    private static final String ENDPOINT_REGION = "us-east-1";
    /** Where the region is read when the section has none: the AWS SDKs' variable, then the AWS CLI's. */
    private static final List<String> REGION_VARIABLES = List.of("AWS_REGION", "AWS_DEFAULT_REGION");

    private static final Pattern URI_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.*", Pattern.DOTALL);

    private ObjectStoreRules() {
    }

    /** Whether {@code value} is written as a URI, {@code scheme://…}, rather than as a local path. */
    static boolean isUri(String value) {
        return URI_SCHEME.matcher(value).matches();
    }

    /**
     * Whether {@code rootDir} means a lake in an object store. The scheme is matched in any case so
     * that {@code S3://…} hears from {@link S3Location#parse} how to write it, not that it is unsupported.
     */
    static boolean isObjectStore(String rootDir) {
        Matcher m = URI_SCHEME.matcher(rootDir);
        return m.matches() && m.group(1).equalsIgnoreCase("s3");
    }

    /** The location of a {@code root_dir} written as a URI; empty, with a finding, if it is not a valid s3:// one. */
    static Optional<S3Location> root(String rootDir, List<Finding> errors) {
        if (!isObjectStore(rootDir)) {
            errors.add(new Finding("root_dir", "only local paths and s3:// are supported (got \"" + rootDir
                    + "\"); set a local directory, e.g. root_dir: /data/lake, or a bucket, e.g. root_dir: s3://quant-lake/raw"));
            return Optional.empty();
        }
        try {
            return Optional.of(S3Location.parse(rootDir));
        } catch (IllegalArgumentException e) {
            errors.add(new Finding("root_dir", e.getMessage()));
            return Optional.empty();
        }
    }

    /**
     * A profile's location: {@code subdir}, already checked to be relative and free of {@code ..},
     * appended to the root's prefix; empty, with a finding at {@code at}, if it makes no valid prefix
     * or lies in the tool's own directory.
     */
    static Optional<S3Location> below(S3Location root, String subdir, String at, List<Finding> errors) {
        S3Location location;
        try {
            location = S3Location.parse(root + "/" + subdir);
        } catch (IllegalArgumentException e) {
            errors.add(new Finding(at, "must make a valid key prefix below root_dir: " + e.getMessage()));
            return Optional.empty();
        }
        S3Location tools = new S3Location(root.bucket(), root.key(S3Location.TOOL_DIRECTORY));
        if (overlap(location, tools)) {
            errors.add(new Finding(at, "\"" + subdir + "\" is where the lake keeps its leases in the bucket ("
                    + tools + "/); choose another directory"));
            return Optional.empty();
        }
        return Optional.of(location);
    }

    /**
     * Whether one location is the other or lies below it. Whole segments are compared, so that
     * {@code s3://b/ticks} and {@code s3://b/ticks2} do not overlap.
     */
    static boolean overlap(S3Location a, S3Location b) {
        return a.bucket().equals(b.bucket())
                && (a.keyPrefix().startsWith(b.keyPrefix()) || b.keyPrefix().startsWith(a.keyPrefix()));
    }

    /**
     * The {@code object_store:} section with its defaults: AWS when there is no endpoint; the region
     * from {@link #REGION_VARIABLES} when not set, else {@link #ENDPOINT_REGION} with an endpoint;
     * path-style addressing exactly when there is an endpoint.
     *
     * @param spec the section as written, or {@code null} when the file has none
     * @param env  the environment the region may come from
     * @return the settings; empty, with findings, if they are not valid
     */
    static Optional<ObjectStoreSettings> settings(ConfigSpec.ObjectStore spec, Map<String, String> env, List<Finding> errors) {
        ConfigSpec.ObjectStore s = spec == null ? new ConfigSpec.ObjectStore(null, null, null) : spec;
        boolean hasEndpoint = s.endpoint() != null;
        int before = errors.size();
        Optional<URI> endpoint = Optional.empty();
        if (hasEndpoint) {
            try {
                endpoint = Optional.of(new URI(s.endpoint().trim()));
            } catch (URISyntaxException e) {
                errors.add(new Finding(ENDPOINT, "is not a URL (" + e.getMessage() + "); write the store's address,"
                        + " e.g. endpoint: https://minio.internal:9000, or leave it out for AWS S3"));
            }
        }
        String region = s.region() != null ? s.region() : REGION_VARIABLES.stream().map(env::get)
                .filter(v -> v != null && !v.isBlank()).findFirst().orElse(hasEndpoint ? ENDPOINT_REGION : null);
        if (region == null) {
            errors.add(new Finding(REGION, "required key is missing, and neither " + String.join(" nor ", REGION_VARIABLES)
                    + " is set; set the bucket's region, e.g. region: eu-central-1, or AWS_REGION"));
        } else if (region.isBlank()) {
            errors.add(new Finding(REGION, "must not be empty; set the bucket's region, e.g. region: eu-central-1,"
                    + " or leave it out to take AWS_REGION"));
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObjectStoreSettings(endpoint, region,
                    s.pathStyle() != null ? s.pathStyle() : hasEndpoint));
        } catch (IllegalArgumentException e) {
            // The region was checked above, so what the settings refuse is the endpoint
            errors.add(new Finding(ENDPOINT, e.getMessage()));
            return Optional.empty();
        }
    }
}
