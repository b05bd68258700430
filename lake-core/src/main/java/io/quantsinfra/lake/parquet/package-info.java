/**
 * Parquet files as the lake sees them: whether a part file is structurally complete, so that one a
 * collector is still writing is never taken for a finished one. {@link
 * io.quantsinfra.lake.parquet.ParquetFooter} reads only a file's first 4 bytes and its tail, and
 * gives a {@link io.quantsinfra.lake.parquet.FooterCheck}: complete with the row count the footer
 * states, incomplete with a reason, or how much more of the tail to read. The footer is decoded with
 * Apache Parquet's Thrift structures ({@code parquet-format-structures}), which need no Hadoop.
 */
package io.quantsinfra.lake.parquet;
