package jp.mynaguard.proxy.cli;

import java.nio.file.Path;

import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.scan.ScanReport;

/** Everything {@code policy test} shows: which policy, which message, what was found, what was decided. */
record PolicyTestResult(Path policyFile, Policy policy, Path message, Envelope envelope, ScanReport scan,
                        Decision decision) {
}
