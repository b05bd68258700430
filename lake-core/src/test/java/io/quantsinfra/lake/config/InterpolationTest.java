package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ${VAR}} and {@code ${VAR:-default}} in config values. */
class InterpolationTest {
    @TempDir
    Path home;

    private final Interpolation env = new Interpolation(Map.of("HOST", "10.0.0.11", "EMPTY", "", "PORT", "6677"));

    private String value(String text) {
        return ((Interpolation.Value) env.apply(text)).text();
    }

    private String problem(String text) {
        return ((Interpolation.Problem) env.apply(text)).message();
    }

    @Test
    void references_areReplaced_defaultsApplyWhenUnsetOrEmpty_andDollarDollarIsADollar() {
        assertEquals("10.0.0.11", value("${HOST}"));
        assertEquals("ubuntu@10.0.0.11:6677", value("ubuntu@${HOST}:${PORT}"));
        assertEquals("fallback", value("${NOT_SET:-fallback}"));
        assertEquals("fallback", value("${EMPTY:-fallback}"));
        assertEquals("", value("${EMPTY}"));
        assertEquals("", value("${NOT_SET:-}"));
        assertEquals("cost $5 and ${HOST}", value("cost $5 and $${HOST}"));
        assertEquals("no references here", value("no references here"));
    }

    @Test
    void anUnsetVariable_orABrokenReference_saysHowToFixIt() {
        assertEquals("${COLLECTOR} is not set in the environment; set it, or give a default: ${COLLECTOR:-value}",
                problem("${COLLECTOR}"));
        assertTrue(problem("${1BAD}").startsWith("\"${1BAD}\" is not a variable reference"), problem("${1BAD}"));
        assertTrue(problem("a ${UNCLOSED").startsWith("\"${UNCLOSED\" is not a variable reference"), problem("a ${UNCLOSED"));
    }

    @Test
    void inAConfig_valuesOfEveryKind_areInterpolated_andAnUnsetOneIsReportedAtItsLineAndColumn() {
        String yaml = """
                data_lake:
                  root_dir: ${LAKE_ROOT:-/data/lake}
                  profiles:
                    cex_ticks:
                      source:
                        type: ssh
                        host: ${HOST}
                        port: ${PORT}
                        user: ubuntu
                        remote_root: /var/data/${FEED:-cex_tickers}
                      local_subdir: cex_ticks
                """;
        ConfigLoader loader = new ConfigLoader(home, home, Map.of("HOST", "10.0.0.11", "PORT", "6677"));
        DataLakeConfig config = loader.parse(yaml, "c.yml").orThrow();
        assertEquals(java.util.Optional.of(Path.of("/data/lake")), config.rootDir());
        assertEquals("ubuntu@10.0.0.11:6677:/var/data/cex_tickers", config.profiles().get("cex_ticks").source().describe());

        ConfigReport withoutHost = new ConfigLoader(home, home, Map.of("PORT", "6677")).parse(yaml, "c.yml");
        assertEquals(List.of(new ConfigProblem("c.yml", 7, 15, "profiles.cex_ticks.source.host",
                "${HOST} is not set in the environment; set it, or give a default: ${HOST:-value}")), withoutHost.errors());
    }
}
