package io.quantsinfra.lake.sftp;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import net.schmizz.concurrent.Event;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.Service;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.TransportImpl;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * An sshj client whose authentication request follows the request for the authentication
 * service at once, instead of a round trip later: sshj waits for the service to be accepted
 * before it sends the request, and the server answers both in order anyway (as OpenSSH and
 * Apache MINA SSHD do). That saves a round trip on every run, which counts on a distant server.
 *
 * <p>sshj rejects a service acceptance that nobody waits for, so a thread asks for the service
 * the usual way and waits; once it waits, its request is on the wire, and the authentication
 * request goes out behind it. Telling that it waits needs a private field of sshj's transport;
 * where it cannot be read (another sshj version, a module system that forbids it), the client
 * authenticates as sshj does.
 *
 * <p>It also tells when {@code connect} moves from the TCP connect to the server's identification
 * and on to the key exchange, which happen inside sshj, so that a {@link ConnectDeadline} can name
 * the stage it stopped in.
 */
final class PipelinedAuthClient extends SSHClient {
    private final Consumer<ConnectDeadline.Stage> stages;
    private final List<Closeable> carriers = new CopyOnWriteArrayList<>();

    /** @param stages hears each stage {@code connect} enters, on the thread that connects */
    PipelinedAuthClient(net.schmizz.sshj.Config config, Consumer<ConnectDeadline.Stage> stages) {
        super(config);
        this.stages = stages;
    }

    /**
     * Closes {@code carrier} whenever this client disconnects: the jump hosts its transport runs
     * through, which serve no other connection.
     */
    void closeAfter(Closeable carrier) {
        carriers.add(carrier);
    }

    @Override
    public void disconnect() throws IOException {
        try {
            super.disconnect();
        } finally {
            for (Closeable c : carriers) {
                try {
                    c.close();
                } catch (IOException | RuntimeException e) {
                    // this client is closed: what its carriers make of closing changes nothing
                }
            }
        }
    }

    /** Called once the TCP connection is up; sshj then reads the server's identification. */
    @Override
    protected void onConnect() throws IOException {
        stages.accept(ConnectDeadline.Stage.IDENTIFICATION);
        super.onConnect();
    }

    /** Called once the server identified itself, and for every later key re-exchange. */
    @Override
    protected void doKex() throws TransportException {
        stages.accept(ConnectDeadline.Stage.KEY_EXCHANGE);
        super.doKex();
    }

    /**
     * Authenticates {@code user} with {@code method}, the service request and the authentication
     * request sent back to back where possible.
     *
     * @return whether they went back to back (tests check that the pipelined path is the one taken)
     */
    boolean authPipelined(String user, AuthMethod method) throws UserAuthException, TransportException {
        Service userAuth = (Service) auth;
        Optional<Event<TransportException>> accepted = serviceAcceptEvent();
        if (accepted.isEmpty() || trans.getService() == userAuth) {
            auth(user, method);
            return false;
        }
        CompletableFuture<Void> service = new CompletableFuture<>();
        Thread requester = new Thread(() -> {
            try {
                trans.reqService(userAuth);
                service.complete(null);
            } catch (TransportException | RuntimeException e) {
                service.completeExceptionally(e);
            }
        }, "lake-ssh-service-request");
        requester.setDaemon(true);
        requester.start();
        while (!accepted.get().hasWaiters()) {
            if (service.isDone()) {
                break; // accepted already, or failed: either way the join below says which
            }
            LockSupport.parkNanos(20_000);
        }
        if (service.isCompletedExceptionally()) {
            joinService(service);
        }
        // sshj's authentication asks for the service only when another one is active.
        trans.setService(userAuth);
        auth(user, method);
        joinService(service); // the acceptance came before the authentication's answer
        return true;
    }

    private static void joinService(CompletableFuture<Void> service) throws TransportException {
        try {
            service.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TransportException t) {
                throw t;
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<Event<TransportException>> serviceAcceptEvent() {
        if (!(trans instanceof TransportImpl)) {
            return Optional.empty();
        }
        try {
            Field field = TransportImpl.class.getDeclaredField("serviceAccept");
            field.setAccessible(true);
            return field.get(trans) instanceof Event<?> event ? Optional.of((Event<TransportException>) event) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
