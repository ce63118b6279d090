package jp.mynaguard.proxy.hold;

/**
 * The few places where the hold store's SQL differs between SQLite and PostgreSQL. Everything
 * else (tables, queries, compare-and-set updates, upserts with {@code ON CONFLICT}) is one text.
 */
enum SqlDialect {
    SQLITE("BLOB", "INTEGER PRIMARY KEY AUTOINCREMENT", ""),
    /**
     * {@code FOR UPDATE SKIP LOCKED}: two instances claiming releases at the same moment each take
     * different rows instead of waiting for each other; the compare-and-set decides anyway.
     */
    POSTGRES("BYTEA", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", " FOR UPDATE SKIP LOCKED");

    private final String blob;
    private final String identity;
    private final String lockForClaim;

    SqlDialect(String blob, String identity, String lockForClaim) {
        this.blob = blob;
        this.identity = identity;
        this.lockForClaim = lockForClaim;
    }

    /** Column type for bytes. */
    String blob() {
        return blob;
    }

    /** Column definition of an auto-numbered primary key. */
    String identity() {
        return identity;
    }

    /** Suffix of the SELECT that picks releases to claim. */
    String lockForClaim() {
        return lockForClaim;
    }
}
