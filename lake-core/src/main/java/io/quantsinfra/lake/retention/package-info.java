/**
 * What the retention window means for the lake at rest: deleting the dated directories past it
 * ({@link io.quantsinfra.lake.retention.Cleanup}) and what the local lake holds
 * ({@link io.quantsinfra.lake.retention.LakeStats}). The window's rule itself,
 * {@link io.quantsinfra.lake.plan.Retention}, is pure and shared with the planner, so it lives
 * in {@code .plan}.
 */
package io.quantsinfra.lake.retention;
