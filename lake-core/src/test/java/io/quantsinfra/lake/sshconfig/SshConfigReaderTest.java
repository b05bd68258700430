package io.quantsinfra.lake.sshconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssh_config reader: blocks, patterns, first value wins, Include, Match, value syntax and errors. */
class SshConfigReaderTest {
    @TempDir
    Path home;

    private Path write(String name, String text) throws IOException {
        Path file = home.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private HostConfig read(String text, String host) throws IOException {
        return SshConfigReader.read(write(".ssh/config", text), host, home);
    }

    private static <T> T value(Optional<Found<T>> found) {
        return found.orElseThrow().value();
    }

    @Test
    void hostPatterns_starQuestionMarkAndNegation() {
        assertTrue(HostPatterns.apply(List.of("*"), "anything"));
        assertTrue(HostPatterns.apply(List.of("db-?.prod"), "db-1.prod"));
        assertFalse(HostPatterns.apply(List.of("db-?.prod"), "db-10.prod"));
        assertTrue(HostPatterns.apply(List.of("*.prod", "!db-*"), "web-1.prod"));
        assertFalse(HostPatterns.apply(List.of("*.prod", "!db-*"), "db-1.prod"), "a negated match vetoes the line");
        assertFalse(HostPatterns.apply(List.of("!db-*"), "web-1"), "a negation alone matches nothing");
        assertTrue(HostPatterns.apply(List.of("a", "b", "c"), "b"), "several patterns on one line");
        assertFalse(HostPatterns.apply(List.of("Collector"), "collector"), "case counts, as in ssh");
        assertTrue(HostPatterns.glob("a*b*c", "aXXbYYbc"));
        assertTrue(HostPatterns.glob("**", ""));
        assertFalse(HostPatterns.glob("a*", "ba"));
    }

    @Test
    void firstObtainedValueWins_andLinesBeforeAnyHostApplyEverywhere() throws IOException {
        HostConfig c = read("""
                # global
                User everyone
                Host collector
                  HostName 10.0.0.11
                  Port 2222
                  User lake
                Host coll*
                  HostName 10.9.9.9
                  Port 22
                  ConnectTimeout 7
                Host *
                  ServerAliveInterval 1m30s
                """, "collector");
        assertEquals("10.0.0.11", value(c.hostName()));
        assertEquals(2222, value(c.port()));
        assertEquals("everyone", value(c.user()), "the global line came first");
        assertEquals(Optional.of(Duration.ofSeconds(7)), value(c.connectTimeout()));
        assertEquals(Duration.ofSeconds(90), value(c.serverAliveInterval()));
        assertEquals(home.resolve(".ssh/config") + ":4", c.hostName().get().origin().where());
        assertTrue(read("Host other\n  Port 1\n", "collector").port().isEmpty());
    }

    @Test
    void keywordsIgnoreCase_equalsForm_quotes_andComments() throws IOException {
        HostConfig c = read("""
                HOST "my host" h
                  hostname=10.0.0.1
                  PORT = 2200 # the collector's port
                  identityfile "/keys/with space"
                  IdentityFile '/keys/second'
                  IdentityFile /keys/with\\ escape
                  IdentityFile "/keys/with space"
                  IdentitiesOnly YES
                  UserKnownHostsFile /kh/one /kh/two
                  ServerAliveCountMax 7
                  Ciphers aes128-ctr
                """, "h");
        assertEquals("10.0.0.1", value(c.hostName()));
        assertEquals(2200, value(c.port()));
        assertEquals(List.of("/keys/with space", "/keys/second", "/keys/with escape"),
                c.identityFiles().stream().map(Found::value).toList(), "all IdentityFiles, in order, once each");
        assertTrue(value(c.identitiesOnly()));
        assertEquals(List.of("/kh/one", "/kh/two"), value(c.userKnownHostsFiles()));
        assertEquals(7, value(c.serverAliveCountMax()));
        assertTrue(c.warnings().isEmpty(), "keywords lake-core leaves to ssh pass silently");
        assertTrue(read("Host \"my host\"\n Port 1\n", "my host").port().isPresent(), "a quoted pattern with a blank");
    }

    @Test
    void include_relativeToDotSsh_withGlobs_inNameOrder() throws IOException {
        write(".ssh/conf.d/20-b.conf", "Host h\n  User from-b\n  Port 2\n");
        write(".ssh/conf.d/10-a.conf", "Host h\n  Port 1\n");
        write(".ssh/conf.d/.hidden.conf", "Host h\n  HostName hidden\n");
        HostConfig c = read("Include conf.d/*.conf\nHost h\n  User from-main\n", "h");
        assertEquals(1, value(c.port()), "10-a.conf is read before 20-b.conf");
        assertEquals("from-b", value(c.user()), "the included value came first");
        assertTrue(c.hostName().isEmpty(), "* does not match a leading dot");
        assertTrue(read("Include ~/.ssh/conf.d/10-a.conf\n", "h").port().isPresent(), "~ is the home directory");
        assertTrue(read("Include missing.conf nothing-* conf.d/[a\nPort 3\n", "h").port().isPresent(), "no match is skipped");
    }

    @Test
    void include_followsItsBlock_andDoesNotChangeIt() throws IOException {
        write(".ssh/inc", "User included\nHost other\n  HostName not-for-h\n");
        HostConfig inside = read("Host h\n  Include inc\n  Port 5\n", "h");
        assertEquals("included", value(inside.user()), "lines before the included file's first Host follow the block");
        assertTrue(inside.hostName().isEmpty());
        assertEquals(5, value(inside.port()), "a Host in the included file does not end the including block");
        HostConfig outside = read("Host elsewhere\n  Include inc\nHost h\n  Port 6\n", "h");
        assertTrue(outside.user().isEmpty(), "included inside a block that does not apply: nothing applies");
        assertEquals(6, value(outside.port()));
    }

    @Test
    void include_loop_isAnErrorAtItsLine() throws IOException {
        write(".ssh/loop", "Include loop\n");
        LakeException e = assertThrows(LakeException.class, () -> read("Include loop\n", "h"));
        assertEquals(LakeException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().startsWith(home.resolve(".ssh/loop") + ":1: Include is nested more than 16"), e.getMessage());
    }

    @Test
    void matchAll_applies_otherMatchBlocksAreSkippedWithAWarning() throws IOException {
        HostConfig c = read("""
                Match host h exec "true"
                  Port 1
                Match all
                  User all
                """, "h");
        assertTrue(c.port().isEmpty());
        assertEquals("all", value(c.user()));
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().get(0).startsWith(home.resolve(".ssh/config") + ":1: Match blocks are not supported"),
                c.warnings().toString());
    }

    @Test
    void proxyJump_hops_andProxyCommandSharesItsPlace() throws IOException {
        List<JumpHostSpec> hops = value(read("ProxyJump alice@bastion:2222,ssh://bob@[::1]:22,plain # two\n", "h")
                .proxyJump());
        assertEquals(List.of(new JumpHostSpec(Optional.of("alice"), "bastion", Optional.of(2222)),
                new JumpHostSpec(Optional.of("bob"), "::1", Optional.of(22)),
                new JumpHostSpec(Optional.empty(), "plain", Optional.empty())), hops);
        assertEquals(List.of(), value(read("ProxyJump none\nProxyJump a\n", "h").proxyJump()), "none wins too");
        HostConfig commandFirst = read("ProxyCommand nc %h %p\nProxyJump a\n", "h");
        assertTrue(commandFirst.proxyJump().isEmpty());
        assertEquals("nc %h %p", value(commandFirst.proxyCommand()));
        assertTrue(read("ProxyJump a\nProxyCommand nc %h %p\n", "h").proxyCommand().isEmpty());
    }

    @Test
    void badValues_areErrorsAtTheirFileAndLine_evenInBlocksThatDoNotApply() throws IOException {
        Path file = home.resolve(".ssh/config");
        assertError("Host other\n  Port 70000\n", file + ":2: Port must be a port from 1 to 65535 (got \"70000\")");
        assertError("Port\n", file + ":1: no value after port");
        assertError("User \"lake\n", file + ":1: unclosed quote");
        assertError("HostName a b\n", file + ":1: hostname takes one value (got 2: a b)");
        assertError("IdentitiesOnly maybe\n", file + ":1: IdentitiesOnly must be yes or no");
        assertError("ConnectTimeout 5x\n", file + ":1: ConnectTimeout must be a time");
        assertError("ProxyJump a@:22\n", file + ":1: ProxyJump: \"a@:22\" is not a jump host");
        assertError("ProxyJump a:0\n", file + ":1: ProxyJump: \"a:0\" is not a jump host");
        assertError("Host\n", file + ":1: no value after host");
        assertError("Include a\u0000b\n", file + ":1: Include cannot use \"a\u0000b\"");
    }

    private void assertError(String text, String messageStart) {
        LakeException e = assertThrows(LakeException.class, () -> read(text, "h"));
        assertEquals(LakeException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
        assertTrue(e.hint().orElse("").contains("source.ssh_config"), e.hint().toString());
    }
}
