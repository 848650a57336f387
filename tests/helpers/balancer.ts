/**
 * Debian's HAProxy (apt-get install haproxy; .ci/run installs it) in front of app processes, as
 * docs/scaling.md describes it: a workshop's sockets to one process (?room=), round robin for
 * the rest, WebSocket upgrades passed through, a cookie that keeps
 * a browser's socket.io long-polling requests on one process, health checks on /readyz, and a
 * request to a process that is gone sent to another. Its own config in a temporary folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export const haproxyPath = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((path) => existsSync(path)) ?? null;

/** The configuration docs/scaling.md shows, for these backends. */
export function haproxyConfig(listenPort: number, backends: number[]): string {
	return `global
	maxconn 4000

defaults
	mode http
	timeout connect 2s
	timeout client 60s
	timeout server 60s
	# a WebSocket stays open for the whole session
	timeout tunnel 2h
	# a request to a process that is gone goes to another, at the first retry
	option redispatch 1
	retries 3

frontend risikoverksted
	bind 127.0.0.1:${listenPort}
	default_backend app

backend app
	# a workshop's sockets to one process while it is up (the clients name it in ?room=); requests without it round robin
	balance url_param room
	hash-type consistent
	# a process that is stopping answers 503 here and gets no new connections
	option httpchk
	http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost
	default-server inter 500ms fall 2 rise 2
	# socket.io's long-polling requests must reach the process that holds their session
	cookie rv_process insert indirect nocache
${backends.map((port, index) => `	server app${index + 1} 127.0.0.1:${port} check cookie app${index + 1}`).join('\n')}
`;
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
