/**
 * The configuration, part of lake-core's API: {@link io.quantsinfra.lake.config.ConfigLoader}
 * reads and checks the YAML file, reporting every problem at its line and column;
 * {@link io.quantsinfra.lake.config.DataLakeConfig#builder} builds the same configuration in code.
 * Both apply the same defaults and rules, and give {@link io.quantsinfra.lake.config.Profile}s
 * with every path resolved.
 */
package io.quantsinfra.lake.config;
