package io.quantsinfra.lake.sftp;

import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.KeyedAuthMethod;

/**
 * Public key authentication with a key file that sends the signed request at once. sshj first
 * asks whether the key would be accepted, which costs a round trip; the answer changes nothing
 * here, as a refusal moves on to the next identity either way.
 */
final class SignedPublickey extends KeyedAuthMethod {
    SignedPublickey(KeyProvider keys) {
        super("publickey", keys);
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return putSig(putPubKey(super.buildReq().putBoolean(true)));
    }
}
