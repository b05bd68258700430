package io.quantsinfra.lake.testkit;

import io.quantsinfra.lake.demo.PathTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Extra directory entries the server lists although they do not exist in the served tree, under names no file
 * system allows.
 *
 * <p>Each entry is backed by a real file or directory in a private temporary directory outside the served root,
 * named {@code entry-N}. The file system accessor lists the backing path, reports its attributes, and writes the
 * injected name's bytes in its place; a request for {@code remoteDir + "/" + name} resolves to the backing path, so
 * a client that opens an injected file gets its bytes. The names {@code ""}, {@code "."} and {@code ".."} are only
 * listed: their joined paths name the directory itself or its parent. So are names that are not valid UTF-8: a
 * request's path arrives as a String, which cannot hold them.
 */
final class InjectedEntries implements AutoCloseable {

    /** Names whose joined path is a real directory, which requests must keep reaching. */
    private static final Set<String> DIRECTORY_ALIASES = Set.of("", ".", "..");

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Map<String, Path> backingByRemotePath = new ConcurrentHashMap<>();
    private final Map<Path, byte[]> nameByBackingPath = new ConcurrentHashMap<>();
    private final AtomicInteger opens = new AtomicInteger();
    private Path backingDirectory;

    /** One injected entry: its listing directory and the path that backs it. */
    private record Entry(String remoteDir, Path backing) {
    }

    /**
     * Adds {@code names}, as the bytes to send, to the listing of {@code remoteDir}, as regular files or as empty
     * directories.
     */
    synchronized void add(String remoteDir, List<byte[]> names, boolean directories) throws IOException {
        String dir = normalizeDirectory(remoteDir);
        if (backingDirectory == null) {
            backingDirectory = Files.createTempDirectory("lake-sftp-injected-");
        }
        for (byte[] bytes : names) {
            String name = new String(bytes, StandardCharsets.UTF_8);
            Path backing = backingDirectory.resolve("entry-" + entries.size());
            if (directories) {
                Files.createDirectory(backing);
            } else {
                Files.write(backing, content(name));
            }
            Files.setLastModifiedTime(backing, FileTime.from(SftpTestServer.INJECTED_MTIME));
            entries.add(new Entry(dir, backing));
            boolean text = Arrays.equals(name.getBytes(StandardCharsets.UTF_8), bytes);
            if (text && !DIRECTORY_ALIASES.contains(name)) {
                backingByRemotePath.put(dir.endsWith("/") ? dir + name : dir + "/" + name, backing);
            }
            nameByBackingPath.put(backing, bytes.clone());
        }
    }

    /** The backing paths to list after the real entries of {@code dir}, a directory of the served file system. */
    List<Path> extraEntriesOf(Path dir) {
        Path wanted = dir.toAbsolutePath().normalize();
        return entries.stream()
                .filter(e -> dir.getFileSystem().getPath(e.remoteDir()).toAbsolutePath().normalize().equals(wanted))
                .map(Entry::backing)
                .toList();
    }

    /** The backing path of the injected entry a client addresses as {@code remotePath}, if it is one. */
    Optional<Path> backingOf(String remotePath) {
        return Optional.ofNullable(backingByRemotePath.get(remotePath));
    }

    /** The bytes of the injected name that {@code path} stands for, if it is a backing path. */
    Optional<byte[]> nameOf(Path path) {
        return Optional.ofNullable(nameByBackingPath.get(path));
    }

    /** Records that a client opened {@code path}, if it backs an injected file. */
    void opening(Path path) {
        if (nameByBackingPath.containsKey(path)) {
            opens.incrementAndGet();
        }
    }

    /** How many times a client opened an injected file. */
    int opens() {
        return opens.get();
    }

    /** Deletes the backing files. */
    @Override
    public synchronized void close() throws IOException {
        if (backingDirectory != null) {
            PathTrees.deleteRecursively(backingDirectory);
        }
    }

    /** The bytes of an injected file: a marker naming the entry, repeated to the injected size. */
    private static byte[] content(String name) {
        byte[] marker = ("injected entry " + name + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[SftpTestServer.INJECTED_FILE_SIZE];
        for (int i = 0; i < content.length; i++) {
            content[i] = marker[i % marker.length];
        }
        return content;
    }

    private static String normalizeDirectory(String remoteDir) {
        if (!remoteDir.startsWith("/")) {
            throw new IllegalArgumentException("remoteDir must be absolute: " + remoteDir);
        }
        String dir = remoteDir.replaceAll("/+", "/");
        return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    }
}
