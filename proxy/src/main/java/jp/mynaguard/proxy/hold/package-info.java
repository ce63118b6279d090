/**
 * The hold store: quarantined, held and approval-pending messages, kept durably and encrypted
 * until a person (or a timer) decides. {@link jp.mynaguard.proxy.hold.HoldStore} is the seam;
 * {@link jp.mynaguard.proxy.hold.SqliteHoldStore} the embedded default (SQLite plus one
 * encrypted file per item under the data directory, keys wrapped by {@code master.key}).
 */
package jp.mynaguard.proxy.hold;
