package org.nasengine.cli;

import org.nasengine.nas.search.SearchStateException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar nas-engine.jar}. */
@Command(name = "nas-engine", mixinStandardHelpOptions = true, version = "nas-engine 0.1.0",
        description = "Neural architecture search on a hand-rolled tensor engine (Java, native C, CUDA).",
        subcommands = {SearchCommand.class, CompareCommand.class, TrainCommand.class, ExportCommand.class, DescribeCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line; exit code 2 for bad input (options, files, a search folder that is
     * damaged or in use), 1 for a run stopped by its environment (a full disk), both without a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError || ex instanceof IllegalArgumentException || ex instanceof SearchStateException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            if (ex instanceof Stopped) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
