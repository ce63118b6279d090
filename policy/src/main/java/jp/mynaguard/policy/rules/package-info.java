/**
 * The YAML policy: what happens to a message or upload, given who sends it where and what the
 * detector found.
 *
 * <ul>
 *   <li>{@link jp.mynaguard.policy.rules.PolicyLoader} reads and validates a policy file (and the
 *       users/groups file it names) into an immutable {@link jp.mynaguard.policy.rules.Policy};
 *       every problem is a {@link jp.mynaguard.policy.rules.Diagnostic} with
 *       {@code file:line:column}. Limits and defaults live in
 *       {@link jp.mynaguard.policy.rules.PolicyLimits}; accepted keys in {@code PolicyKeys},
 *       which a test holds to {@code policy.schema.json}.</li>
 *   <li>{@link jp.mynaguard.policy.rules.PolicyEngine} evaluates it on an
 *       {@link jp.mynaguard.policy.rules.Envelope} and the findings: rules in order, first match
 *       wins, audit rules only record, the explicit default otherwise. The result is a
 *       {@link jp.mynaguard.policy.rules.Decision}, which holds no digit of any number.</li>
 *   <li>{@link jp.mynaguard.policy.rules.PolicyReloader} keeps the active policy current (file
 *       changes, SIGHUP) and keeps the last good one when a new one is invalid.</li>
 * </ul>
 */
package jp.mynaguard.policy.rules;
