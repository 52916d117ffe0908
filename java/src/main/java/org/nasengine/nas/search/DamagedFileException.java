package org.nasengine.nas.search;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.nio.file.Path;

/**
 * A state file of a search folder that does not read as it was written: which file, which line
 * (0 where the whole file is at fault) and what is wrong with it. The command line turns it into
 * one message that also says what the user can do.
 */
public final class DamagedFileException extends SearchStateException {
    private final Path file;
    private final int line;
    private final String problem;

    public DamagedFileException(Path file, int line, String problem) {
        super(file + (line > 0 ? " line " + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public Path file() { return file; }

    /** 1-based; 0 where the file as a whole is damaged. */
    public int line() { return line; }

    public String problem() { return problem; }

    /** What is wrong with text that does not parse as JSON, in words: cut short, or not JSON at a line and column. */
    public static String jsonProblem(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        if (e instanceof JsonEOFException) return "cut short (the JSON ends part way" + where + ")";
        String why = String.valueOf(e.getOriginalMessage());
        return "not JSON" + where + " (" + why.lines().findFirst().orElse(why).replaceFirst("\\s*\\(start marker at .*$", "") + ")";
    }
}
