package jp.mynaguard.proxy.http;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

import io.netty.util.concurrent.EventExecutor;

/**
 * Blocking work (scan, decision, hold store) off the event loop and its result back onto it: the
 * connection's state is only ever touched by its own event loop.
 */
final class WorkerHop {
    /** Work that may fail with an IOException. */
    interface Work<T> {
        T run() throws IOException;
    }

    private WorkerHop() {
    }

    /**
     * Runs {@code work} on {@code workers}, then {@code done} on {@code loop} with the result or the
     * error. @return false when the workers are saturated (nothing was started)
     */
    static <T> boolean run(Executor workers, EventExecutor loop, Work<T> work, BiConsumer<T, Throwable> done) {
        try {
            CompletableFuture.supplyAsync(() -> {
                try {
                    return work.run();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, workers).whenComplete((result, error) -> loop.execute(() -> done.accept(result,
                    error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error)));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
