package io.quantsinfra.lake.sftp;

/**
 * Why an identity was not offered, or failed: what a user is told, with the fix.
 *
 * @param message what is wrong, naming the key file or the agent
 * @param hint    how to fix it
 * @param warn    whether a user hears of it even when another identity logs in: a named key
 *                that could not be used, or a key file open to others, which OpenSSH warns about too
 * @param cause   the underlying exception, or {@code null}
 */
record IdentityProblem(String message, String hint, boolean warn, Throwable cause) {
}
