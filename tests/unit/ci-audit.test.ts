import { describe, expect, it } from 'vitest';
import { auditVerdict } from '../../.ci/audit-verdict.mjs';

const report = (vulnerabilities: Record<string, number>, advisories: Record<string, { severity: string }> = {}) =>
	JSON.stringify({ vulnerabilities: advisories, metadata: { vulnerabilities } });

describe('npm audit in CI', () => {
	it('fails on a high or critical advisory, naming it', () => {
		const verdict = auditVerdict(report({ high: 1, critical: 0, moderate: 2 }, { exceljs: { severity: 'high' } }), 1);
		expect(verdict).toEqual({ fail: true, message: expect.stringContaining('exceljs (high)') });
		expect(auditVerdict(report({ high: 0, critical: 1 }, { pdfkit: { severity: 'critical' } }), 1).fail).toBe(true);
	});

	it('passes with moderate or low advisories only', () => {
		expect(auditVerdict(report({ high: 0, critical: 0, moderate: 3, low: 1 }), 1)).toEqual({ fail: false, message: expect.stringContaining('3 moderate') });
	});

	it('passes with a note when the registry cannot be asked', () => {
		const unreachable = JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'request to https://registry.npmjs.org failed, reason: getaddrinfo ENOTFOUND' } });
		expect(auditVerdict(unreachable, 1)).toEqual({ fail: false, message: expect.stringContaining('Skipped') });
		const noEndpoint = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 });
		expect(auditVerdict(noEndpoint, 1)).toEqual({ fail: false, message: expect.stringContaining('405 Method Not Allowed') });
		expect(auditVerdict('', 1).fail).toBe(false);
	});
});
