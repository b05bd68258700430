/**
 * Where the plan is made: a pure step, with no network and no disk. The remote and local
 * listings ({@link io.quantsinfra.lake.plan.RemoteListing}, {@link io.quantsinfra.lake.plan.LocalListing})
 * go in; {@link io.quantsinfra.lake.plan.Planner} gives a {@link io.quantsinfra.lake.SyncPlan} in
 * which every transfer, deletion, kept directory and skip has its reason. The rules for names a
 * server may send, and for our staging names, are in {@link io.quantsinfra.lake.plan.NameRules};
 * what {@code --delete} may remove, and when it must remove nothing, in the package's deletion
 * planner and guard; which dated directories are past the retention window in
 * {@link io.quantsinfra.lake.plan.Retention}, the one rule set of sync, cleanup and stats.
 */
package io.quantsinfra.lake.plan;
