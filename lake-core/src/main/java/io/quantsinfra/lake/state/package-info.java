/**
 * What a profile keeps between runs: its checkpoint ({@link io.quantsinfra.lake.state.CheckpointStore},
 * written atomically, never fatal when damaged), the lock one run of it holds at a time
 * ({@link io.quantsinfra.lake.state.ProfileLock}), and the metrics file rendered from every
 * profile's checkpoint ({@link io.quantsinfra.lake.state.MetricsFile}).
 */
package io.quantsinfra.lake.state;
