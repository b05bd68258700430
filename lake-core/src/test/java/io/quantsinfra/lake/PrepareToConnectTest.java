package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import net.schmizz.sshj.common.SecurityUtils;
import org.junit.jupiter.api.Test;

class PrepareToConnectTest {
    /**
     * Warming up must not fall into sshj's BouncyCastle trap: touching sshj's SecurityUtils before
     * it is told otherwise registers BouncyCastle as sshj's provider, and AES-GCM would then run on
     * it, about 3x slower.
     */
    @Test
    void prepareToConnect_leavesBouncyCastleUnregistered_andAesGcmOnTheJdk() throws Exception {
        SecurityUtils.setSecurityProvider(null); // sshj's defaults, as in a fresh JVM: other tests have connected
        DataLake.prepareToConnect();
        DataLake.prepareToConnect(); // any number of times

        assertNull(SecurityUtils.getSecurityProvider(), "sshj was given a provider of its own (BouncyCastle)");
        assertEquals("SunJCE", SecurityUtils.getCipher("AES/GCM/NoPadding").getProvider().getName());
    }
}
