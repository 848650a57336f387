import { createServer } from 'node:net';

/** A TCP port of 127.0.0.1 free right now. */
export const freePort = () =>
	new Promise<number>((done) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => done(port));
		});
	});
