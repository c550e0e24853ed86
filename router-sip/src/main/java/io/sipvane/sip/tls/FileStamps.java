package io.sipvane.sip.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What a set of files looked like when read: modification time, size and file key (inode) of
 * each, following symbolic links. A renewal tool replaces a certificate by writing a new file
 * and renaming it over the old one, or by swapping a symlink (Kubernetes secrets, certbot's
 * live/ directory); each changes at least one of the three.
 */
record FileStamps(List<Path> files, List<String> stamps) {

    static FileStamps of(List<Path> files) {
        List<String> stamps = new ArrayList<>();
        for (Path file : files) {
            stamps.add(stamp(file));
        }
        return new FileStamps(List.copyOf(files), List.copyOf(stamps));
    }

    /** Whether a file differs now from when these stamps were taken. */
    boolean changed() {
        return !of(files).equals(this);
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return file + "|" + a.lastModifiedTime().toMillis() + "|" + a.size() + "|" + a.fileKey();
        } catch (IOException e) {
            return file + "|missing";
        }
    }
}
