package io.quantsinfra.lake.s3;

import io.quantsinfra.lake.LakeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the AWS SDK's exceptions into {@link LakeException}s of kind
 * {@link LakeException.Kind#CONNECTION} whose message says what went wrong in words, without the
 * SDK's request ids and stack, and whose hint says what to fix. The SDK exception stays the cause.
 */
final class ObjectStoreErrors {

    static final String CREDENTIALS_HINT = "check the credentials the AWS default chain finds:"
            + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws/credentials, or the"
            + " instance or container role; the lake's configuration never holds credentials";

    private ObjectStoreErrors() {
    }

    /**
     * Maps an SDK exception.
     *
     * @param e        what the SDK threw
     * @param action   what was attempted, e.g. {@code "list"} or {@code "upload part 3 of"}
     * @param bucket   the bucket the request went to
     * @param subject  the location the request concerns, e.g. {@code s3://bucket/key}
     * @param endpoint the store's endpoint as the user knows it, for messages
     * @return the exception to throw
     */
    static LakeException toLakeException(SdkException e, String action, String bucket, String subject,
            String endpoint) {
        String what = "cannot " + action + " " + subject + ": ";
        if (e instanceof AwsServiceException service) {
            return serviceError(service, what, bucket, subject);
        }
        if (e instanceof ApiCallTimeoutException) {
            return error(subject, what + "the object store at " + endpoint + " did not answer in time",
                    "check the network to the store, or whether it is overloaded", e);
        }
        Optional<UnknownHostException> unknownHost = inChain(e, UnknownHostException.class);
        if (unknownHost.isPresent()) {
            return error(subject, what + "unknown host " + unknownHost.get().getMessage(),
                    "check object_store.endpoint and object_store.region, and DNS", e);
        }
        Optional<Throwable> refused = inChain(e, ConnectException.class).map(Throwable.class::cast)
                .or(() -> inChain(e, NoRouteToHostException.class));
        if (refused.isPresent()) {
            return error(subject, what + "cannot connect to the object store at " + endpoint + " ("
                    + refused.get().getMessage() + ")", "check object_store.endpoint and that the store is up", e);
        }
        if (inChain(e, SocketTimeoutException.class).isPresent()) {
            return error(subject, what + "the object store at " + endpoint + " timed out",
                    "check the network to the store, or whether it is overloaded", e);
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Unable to load credentials")) {
            return error(subject, what + "no credentials found", CREDENTIALS_HINT, e);
        }
        return error(subject, what + firstLine(message), "", e);
    }

    private static LakeException serviceError(AwsServiceException e, String what, String bucket, String subject) {
        String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
        int status = e.statusCode();
        switch (code) {
            case "NoSuchBucket":
                return error(subject, what + "bucket " + bucket + " does not exist",
                        "create the bucket, or fix the bucket in root_dir", e);
            case "InvalidAccessKeyId":
                return error(subject, what + "the object store does not know the access key id", CREDENTIALS_HINT, e);
            case "SignatureDoesNotMatch":
                return error(subject, what + "the secret key does not match the access key id", CREDENTIALS_HINT, e);
            case "ExpiredToken":
            case "TokenRefreshRequired":
            case "InvalidToken":
                return error(subject, what + "the session token is expired or invalid", CREDENTIALS_HINT, e);
            case "RequestTimeTooSkewed":
                return error(subject, what + "this machine's clock differs too much from the object store's",
                        "synchronise the clock, e.g. with NTP (timedatectl set-ntp true); S3 allows 15 minutes", e);
            case "AuthorizationHeaderMalformed":
            case "PermanentRedirect":
            case "IllegalLocationConstraintException":
                return error(subject, what + "bucket " + bucket + " is in another region",
                        "set object_store.region to the bucket's region", e);
            case "AccessDenied":
            case "AllAccessDisabled":
                return accessDenied(what, bucket, subject, e);
            default:
                break;
        }
        if (status == 403) {
            // HEAD answers carry no body, so no error code: a 403 is bad credentials or a denial
            return accessDenied(what, bucket, subject, e);
        }
        String detail = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage();
        return error(subject, what + "the object store answered " + (code.isEmpty() ? "" : code + ", ")
                + "HTTP " + status + (detail == null || detail.isBlank() ? "" : ": " + firstLine(detail)), "", e);
    }

    private static LakeException accessDenied(String what, String bucket, String subject, SdkException e) {
        return error(subject, what + "access denied",
                "grant these credentials s3:ListBucket, s3:ListBucketMultipartUploads, s3:GetObject, s3:PutObject,"
                        + " s3:DeleteObject, s3:AbortMultipartUpload and s3:ListMultipartUploadParts on bucket "
                        + bucket + "; " + CREDENTIALS_HINT, e);
    }

    private static LakeException error(String subject, String message, String hint, SdkException cause) {
        return new LakeException(LakeException.Kind.CONNECTION, subject, message, hint, cause);
    }

    private static <T extends Throwable> Optional<T> inChain(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
