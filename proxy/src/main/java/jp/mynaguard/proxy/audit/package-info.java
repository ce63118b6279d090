/** The audit trail: one JSON line per decision and action, hash-chained and signed. */
package jp.mynaguard.proxy.audit;
