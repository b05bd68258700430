/**
 * The retention window and what follows from it: which dated directories are past it
 * ({@link io.quantsinfra.lake.retention.Retention}, the one rule set of sync, cleanup and stats),
 * deleting them ({@link io.quantsinfra.lake.retention.Cleanup}), and what the local lake holds
 * ({@link io.quantsinfra.lake.retention.LakeStats}).
 */
package io.quantsinfra.lake.retention;
