package io.quantsinfra.lake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hints written for YAML, said in the builder's terms. */
class PhrasingTest {
    @Test
    void yaml_keepsTheHint() {
        String hint = "set source.ssh_key to your private key file";
        assertEquals(hint, Phrasing.YAML.hint(hint));
    }

    @Test
    void builder_namesEachSettingByItsMethod_withItsValue() {
        assertEquals("set .sshKey(...) to your private key file, or run where $SSH_AUTH_SOCK reaches an agent",
                Phrasing.BUILDER.hint("set source.ssh_key to your private key file, or run where $SSH_AUTH_SOCK reaches an agent"));
        assertEquals("trust it with: ssh-keyscan -p 22 h >> kh   (or set .hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW))",
                Phrasing.BUILDER.hint("trust it with: ssh-keyscan -p 22 h >> kh   (or set source.host_key_policy: accept-new)"));
        assertEquals("create it, fix the path, or set .noSshConfig() to read no ssh_config",
                Phrasing.BUILDER.hint("create it, fix the path, or set source.ssh_config: none to read no ssh_config"));
        assertEquals("move it aside, or choose another .localSubdir(...)",
                Phrasing.BUILDER.hint("move it aside, or choose another local_subdir"));
        assertEquals("the bound is --contimeout in .rsyncArgs(...)",
                Phrasing.BUILDER.hint("the bound is --contimeout in rsync_args"));
        assertEquals("check the name, or call DataLake.checkRemote(profile, env)",
                Phrasing.BUILDER.hint("check the name, or run: quants-infra data-lake validate"));
    }

    @Test
    void builder_leavesWordsThatAreNoSettingAlone() {
        String hint = "check that the SSH server on host has the sftp subsystem enabled for this user";
        assertEquals(hint, Phrasing.BUILDER.hint(hint));
    }
}
