/**
 * The lake on an S3-compatible object store: the object layer over the AWS SDK for Java v2.
 *
 * <p>{@link io.quantsinfra.lake.s3.S3Location} is a lake root such as {@code s3://quant-lake/raw};
 * {@link io.quantsinfra.lake.s3.ObjectStoreSettings} is the {@code object_store:} section:
 * endpoint, region, path style.
 *
 * <p>This module is apart from lake-core so that embedders without a bucket do not carry the SDK.
 */
package io.quantsinfra.lake.s3;
