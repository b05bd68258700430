package io.quantsinfra.lake.testkit;

/**
 * The key types under the name they had before the demo moved out of lake-testkit: the constants of
 * {@link io.quantsinfra.lake.demo.KeyType}, the type that {@link SftpTestServer} takes. Tests that name
 * {@code KeyType.ED25519} or {@code KeyType.RSA} from here keep compiling; new code imports the demo's enum.
 */
public final class KeyType {

    /** {@link io.quantsinfra.lake.demo.KeyType#ED25519}. */
    public static final io.quantsinfra.lake.demo.KeyType ED25519 = io.quantsinfra.lake.demo.KeyType.ED25519;

    /** {@link io.quantsinfra.lake.demo.KeyType#RSA}. */
    public static final io.quantsinfra.lake.demo.KeyType RSA = io.quantsinfra.lake.demo.KeyType.RSA;

    private KeyType() {
    }
}
