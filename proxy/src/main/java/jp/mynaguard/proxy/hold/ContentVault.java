package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Set;

import jp.mynaguard.proxy.io.DurableFiles;

/**
 * Where the encrypted content of items lives: files under the data directory
 * ({@link FileContentVault}, the embedded store) or rows in the shared database
 * ({@link TableContentVault}, PostgreSQL, so every gateway instance sees every item). The vault
 * only ever sees ciphertext.
 */
interface ContentVault {
    /**
     * Writes what {@code writer} produces durably and returns the handle the item's row keeps.
     *
     * @throws IOException when it could not be made durable, or content for {@code referenceId} exists
     */
    String store(String referenceId, DurableFiles.Writer writer) throws IOException;

    InputStream open(String handle) throws IOException;

    /** Deletes the content behind {@code handle}; nothing when it is gone already. */
    void delete(String handle) throws IOException;

    /**
     * Removes content that no item row refers to (left by a crash between writing content and
     * recording its row), if written before {@code cutoff}. @return how many were removed
     */
    int removeOrphans(Set<String> recorded, Instant cutoff) throws IOException;
}
