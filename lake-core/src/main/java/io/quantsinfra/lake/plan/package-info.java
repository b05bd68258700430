/**
 * Where the plan is made: a pure step, with no network and no disk. The remote and local
 * listings of one directory ({@link io.quantsinfra.lake.plan.RemoteListing},
 * {@link io.quantsinfra.lake.plan.LocalListing}) go in at a time, merged in lock step;
 * {@link io.quantsinfra.lake.plan.Planning} gives a {@link io.quantsinfra.lake.SyncPlan} in
 * which every transfer, deletion, kept directory and skip has its reason, following the rules of
 * {@link io.quantsinfra.lake.plan.Planner}. The rules for names a
 * server may send, and for our staging names, are in {@link io.quantsinfra.lake.plan.NameRules};
 * what {@code --delete} may remove, and when it must remove nothing, in the package's deletion
 * planner and guard; which dated directories are past the retention window in
 * {@link io.quantsinfra.lake.plan.Retention}, the one rule set of sync, cleanup and stats.
 */
package io.quantsinfra.lake.plan;
