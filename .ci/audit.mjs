#!/usr/bin/env node
/**
 * `npm audit` of the packages the app runs with: fails on a high or critical advisory, and only
 * says so when the registry cannot be asked (offline, or a mirror without the audit endpoint).
 * Run before the tests (package.json "pretest").
 */
import { spawnSync } from 'node:child_process';
import { auditVerdict } from './audit-verdict.mjs';

const audit = spawnSync('npm', ['audit', '--json', '--omit=dev'], { encoding: 'utf8', timeout: 60_000 });
const verdict = auditVerdict(audit.stdout ?? '', audit.status ?? 1);
console.log(verdict.message);
process.exit(verdict.fail ? 1 : 0);
