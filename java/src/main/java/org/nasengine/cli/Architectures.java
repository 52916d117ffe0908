package org.nasengine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.nasengine.nas.space.Architecture;
import org.nasengine.nas.space.ArchitectureCodec;
import org.nasengine.nas.space.ArchitectureException;

/** Reading architecture files given on the command line. */
public final class Architectures {
    private Architectures() {}

    /** Reads and validates a file; any problem is a user error naming the file and the field. */
    static Architecture read(Path file) {
        try {
            return ArchitectureCodec.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (ArchitectureException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
    }
}
