import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** A TCP port nothing listens on right now. */
export const freePort = () =>
	new Promise<number>((done) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => done(port));
		});
	});

/** Debian's redis-server (apt-get install redis-server), if installed. */
export const redisServerPath = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));

/** A redis-server of its own on loopback, nothing saved to disk, for the several-processes test and bench. */
export async function startRedis(): Promise<{ url: string; stop: () => void }> {
	if (!redisServerPath) throw new Error('redis-server is not installed (apt-get install redis-server)');
	const port = await freePort();
	const redis = spawn(redisServerPath, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	await new Promise<void>((done, fail) => {
		let output = '';
		redis.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('Ready to accept connections')) done();
		});
		redis.once('error', fail);
		redis.once('exit', (code) => fail(new Error(`redis-server exited with ${code}: ${output}`)));
	});
	return { url: `redis://127.0.0.1:${port}`, stop: () => void redis.kill() };
}
