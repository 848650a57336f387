/**
 * What `npm audit --json` means for CI: fail on a high or critical advisory, pass with a note when
 * the audit could not be asked (no registry, or one without the audit endpoint), pass otherwise.
 * Kept apart from audit.mjs so tests/unit/ci-audit.test.ts can check it without a network.
 */
/**
 * @param {string} stdout what `npm audit --json` printed
 * @param {number} exitCode its exit code
 * @returns {{ fail: boolean; message: string }}
 */
export function auditVerdict(stdout, exitCode) {
	let report;
	try {
		report = JSON.parse(stdout);
	} catch {
		return { fail: false, message: `npm audit gave no report (exit ${exitCode}); the registry could not be asked. Skipped.` };
	}
	const vulnerabilities = report?.metadata?.vulnerabilities;
	if (!vulnerabilities) {
		const why = report?.message ?? report?.error?.summary ?? 'no report';
		return { fail: false, message: `npm audit could not ask the registry (${String(why).split('\n')[0]}). Skipped.` };
	}
	const high = (vulnerabilities.high ?? 0) + (vulnerabilities.critical ?? 0);
	if (high > 0) {
		const names = Object.entries(report.vulnerabilities ?? {})
			.filter(([, advisory]) => ['high', 'critical'].includes(/** @type {{ severity: string }} */ (advisory).severity))
			.map(([name, advisory]) => `${name} (${/** @type {{ severity: string }} */ (advisory).severity})`);
		return { fail: true, message: `npm audit: ${high} high or critical advisories: ${names.join(', ')}. Update them (npm audit fix) or say why not.` };
	}
	return { fail: false, message: `npm audit: no high or critical advisories (${vulnerabilities.moderate ?? 0} moderate, ${vulnerabilities.low ?? 0} low).` };
}
