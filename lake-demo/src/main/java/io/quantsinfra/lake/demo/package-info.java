/**
 * What {@code quants-infra data-lake demo} needs and ships: {@link io.quantsinfra.lake.demo.DemoSftpServer}, a
 * plain embedded Apache MINA SSHD server that serves one directory over SFTP,
 * {@link io.quantsinfra.lake.demo.DemoS3Server}, an embedded S3 API (S3Proxy) over another, for
 * {@code demo --s3}, and {@link io.quantsinfra.lake.demo.SampleLake}, which writes deterministic sample lakes for
 * the SFTP server to serve.
 *
 * <p>Nothing here injects faults: the fault tools of {@code lake-testkit} plug into the server's builder, so that
 * they stay out of the CLI jar.
 */
package io.quantsinfra.lake.demo;
