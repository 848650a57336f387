/**
 * Debian's HAProxy (apt-get install haproxy; .ci/run installs it) in front of app processes, with
 * the README's configuration, as docs/scaling.md describes it: a workshop's sockets to one process (?room=), round robin for
 * the rest, WebSocket upgrades passed through, a cookie that keeps
 * a browser's socket.io long-polling requests on one process, health checks on /readyz, and a
 * request to a process that is gone sent to another. Its own config in a temporary folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './ports';

export const haproxyPath = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((path) => existsSync(path)) ?? null;

/**
 * The configuration the README gives (its haproxy.cfg block, read from README.md as it is), for
 * these backends: only the listening address and the servers' ports are changed.
 */
export function haproxyConfig(listenPort: number, backends: number[]): string {
	const readme = readFileSync(resolve('README.md'), 'utf8');
	const block = /<!-- haproxy\.cfg[^>]*-->\s*```\n([\s\S]*?)```/.exec(readme)?.[1];
	if (!block) throw new Error('README.md has no haproxy.cfg block');
	const servers = block.split('\n').filter((line) => /^\s*server app\d/.test(line));
	if (servers.length < backends.length) throw new Error(`README.md's haproxy.cfg has ${servers.length} servers, the test needs ${backends.length}`);
	let config = block.replace(/^(\s*)bind :80$/m, `$1bind 127.0.0.1:${listenPort}`);
	servers.forEach((line, index) => {
		const port = backends[index];
		config = config.replace(line, port === undefined ? '' : line.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`));
	});
	if (!config.includes(`bind 127.0.0.1:${listenPort}`)) throw new Error("README.md's haproxy.cfg has no `bind :80` line");
	return config;
}

export interface Balancer {
	url: string;
	stop: () => void;
}

export async function startHaproxy(backends: number[]): Promise<Balancer> {
	if (!haproxyPath) throw new Error('haproxy is not installed (apt-get install haproxy)');
	const port = await freePort();
	const folder = mkdtempSync(join(tmpdir(), 'risikoverksted-haproxy-'));
	const config = join(folder, 'haproxy.cfg');
	writeFileSync(config, haproxyConfig(port, backends));
	const child = spawn(haproxyPath, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const url = `http://127.0.0.1:${port}`;
	const started = Date.now();
	for (;;) {
		if (child.exitCode !== null) throw new Error(`haproxy exited: ${output}`);
		try {
			if ((await fetch(`${url}/healthz`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() - started > 10_000) throw new Error(`haproxy did not start in 10 s: ${output}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		url,
		stop: () => {
			child.kill('SIGKILL');
			rmSync(folder, { recursive: true, force: true });
		}
	};
}
