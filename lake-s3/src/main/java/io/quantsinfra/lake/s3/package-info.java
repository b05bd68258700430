/**
 * The lake on an S3-compatible object store: the object layer over the AWS SDK for Java v2.
 *
 * <p>Most users need {@link io.quantsinfra.lake.config.S3Location} (a lake root such as
 * {@code s3://quant-lake/raw}), {@link io.quantsinfra.lake.config.ObjectStoreSettings} (the
 * {@code object_store:} section: endpoint, region, path style), {@link io.quantsinfra.lake.s3.S3Clients}
 * (a client with credentials from the AWS default chain) and {@link io.quantsinfra.lake.s3.ObjectStore}
 * (list, head, put, multipart upload, batch delete, conditional put on one bucket). The records
 * {@link io.quantsinfra.lake.s3.ObjectEntry}, {@link io.quantsinfra.lake.s3.ObjectHead},
 * {@link io.quantsinfra.lake.s3.SourceStamp}, {@link io.quantsinfra.lake.s3.UploadedPart},
 * {@link io.quantsinfra.lake.s3.MultipartUpload} and {@link io.quantsinfra.lake.s3.DeleteReport} are
 * what it returns. Failures are lake-core's {@link io.quantsinfra.lake.LakeException} of kind
 * {@code CONNECTION}, with a message in words and a hint.
 *
 * <p>This module is apart from lake-core so that embedders without a bucket do not carry the SDK.
 */
package io.quantsinfra.lake.s3;
