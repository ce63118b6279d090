package jp.mynaguard.proxy.ops;

import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LogSettings} to logback, replacing what {@code logback.xml} set up: the same
 * levels for the parser libraries, the chosen format, level and destination. Called by
 * {@code mynaguard serve} before the gateway starts; the other commands keep {@code logback.xml}.
 *
 * <p>JSON lines use logback's own {@link JsonEncoder}: {@code timestamp} (Unix milliseconds),
 * {@code level}, {@code threadName}, {@code loggerName}, {@code formattedMessage} and, for an
 * exception, {@code throwable}. The unformatted message and its argument array are left out: they
 * would repeat the message, and arguments are where a careless caller's value would sit raw.
 */
public final class LogSetup {
    /** The text format: one line per event, ISO time with offset, as logback.xml has it. */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%thread] %-5level %logger - %msg%n";
    /** Parser libraries warn about things that are normal in inspected mail; the extractor reports those. */
    private static final String[] QUIET = {"org.apache.pdfbox", "org.apache.fontbox", "org.apache.poi"};

    private LogSetup() {
    }

    /**
     * Reconfigures logging. Throws {@link IllegalStateException} when the file cannot be opened
     * (the caller reports it; logging stays as it was before).
     */
    public static void apply(LogSettings settings) {
        LoggerContext ctx = context();
        if (ctx == null) {
            return;
        }
        if (settings.file() != null) {
            // Fail before reset: a wrong path must not leave the gateway without any log.
            java.nio.file.Path parent = settings.file().toAbsolutePath().getParent();
            try {
                java.nio.file.Files.createDirectories(parent);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create the log directory " + parent + ": " + e.getMessage(), e);
            }
            if (java.nio.file.Files.exists(settings.file()) && !java.nio.file.Files.isWritable(settings.file())
                    || !java.nio.file.Files.isWritable(parent)) {
                throw new IllegalStateException("cannot write the log file " + settings.file());
            }
        }
        ctx.reset();
        Encoder<ILoggingEvent> encoder = settings.format() == LogSettings.Format.JSON ? json(ctx) : text(ctx);
        OutputStreamAppender<ILoggingEvent> appender;
        if (settings.file() != null) {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setFile(settings.file().toString());
            file.setAppend(true);
            appender = file;
        } else {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            appender = console;
        }
        appender.setContext(ctx);
        appender.setName(settings.file() != null ? "FILE" : "STDERR");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.toLevel(settings.level().name()));
        root.addAppender(appender);
        for (String quiet : QUIET) {
            ctx.getLogger(quiet).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    /** Back to {@code logback.xml} (tests that reconfigured logging in their JVM). */
    public static void restoreDefaults() {
        LoggerContext ctx = context();
        if (ctx == null) {
            return;
        }
        ctx.reset();
        try {
            new ContextInitializer(ctx).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException("cannot read logback.xml: " + e.getMessage(), e);
        }
    }

    private static LoggerContext context() {
        ILoggerFactory f = LoggerFactory.getILoggerFactory();
        // Another SLF4J backend (an embedding application's): its configuration is not ours to change.
        return f instanceof LoggerContext lc ? lc : null;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext ctx) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(TEXT_PATTERN);
        e.setCharset(StandardCharsets.UTF_8);
        e.start();
        return e;
    }

    private static Encoder<ILoggingEvent> json(LoggerContext ctx) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(ctx);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.setWithContext(false);
        e.setWithMessage(false);
        e.setWithArguments(false);
        e.setWithFormattedMessage(true);
        e.start();
        return e;
    }
}
