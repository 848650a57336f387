/**
 * The ceiling for bench/load.ts: a minimal socket.io 4 server with the app's events that does only
 * what an acknowledgement promises. A rating is appended to its workshop's file; every file with
 * new lines is written and fdatasynced once per turn of the event loop, all files at once, and each
 * rating is acknowledged as soon as its own file is on disk. Facilitators get the answer count of
 * each point every 100 ms while ratings come in. Nothing else: no validation, no statistics, no
 * views. What the app does beyond this is what its ratio to this server costs.
 *
 * It speaks the few HTTP calls the load generator makes (create a workshop, put a list, open it)
 * and prints "listening on http://…" like the app, so tests/helpers/server.ts can start it.
 *   PORT=0 DATA_DIR=/tmp/x node bench/ceiling.mjs
 */
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Server } from 'socket.io';

const dataDir = process.env.DATA_DIR ?? '/tmp/ceiling';
mkdirSync(dataDir, { recursive: true });
const id = () => randomBytes(6).toString('base64url');

/** workshop id -> { joinCode, key, points, counts, file, lines, waiting, changed } */
const workshops = new Map();
const byCode = new Map();

async function body(request) {
	const chunks = [];
	for await (const chunk of request) chunks.push(chunk);
	return Buffer.concat(chunks).toString('utf8');
}

const http = createServer(async (request, response) => {
	const send = (status, value) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
	const parts = request.url.split('/').filter(Boolean); // api, workshops, :id, risk-points
	if (request.method === 'POST' && request.url === '/api/workshops') {
		await body(request);
		const workshop = { id: id(), joinCode: id().slice(0, 6).toUpperCase(), key: id(), points: [], counts: new Map(), file: null, lines: [], waiting: [], changed: false };
		workshop.file = await open(join(dataDir, `${workshop.id}.log`), 'a');
		workshops.set(workshop.id, workshop);
		byCode.set(workshop.joinCode, workshop);
		return send(201, { id: workshop.id, joinCode: workshop.joinCode, facilitatorKey: workshop.key });
	}
	const workshop = workshops.get(parts[2]);
	if (!workshop) return send(404, { error: 'no workshop' });
	const text = await body(request);
	if (request.method === 'PUT' && parts[3] === 'risk-points') {
		workshop.points = text.split('\n').filter(Boolean).map((line) => ({ id: id(), text: line }));
		return send(200, { riskPoints: workshop.points });
	}
	send(200, { id: workshop.id });
});

const io = new Server(http, { maxHttpBufferSize: 16 * 1024 });

io.use((socket, next) => {
	const auth = socket.handshake.auth ?? {};
	const workshop = auth.joinCode ? byCode.get(auth.joinCode) : workshops.get(auth.workshopId);
	if (!workshop || (auth.workshopId && auth.facilitatorKey !== workshop.key)) return next(new Error('refused'));
	socket.data = { workshop, facilitator: Boolean(auth.workshopId), member: id() };
	next();
});

const pointCounts = (workshop) => ({ riskPoints: workshop.points.map((point) => ({ id: point.id, responses: workshop.counts.get(point.id)?.size ?? 0 })) });

io.on('connection', (socket) => {
	const { workshop, facilitator, member } = socket.data;
	if (facilitator) {
		socket.join(`f:${workshop.id}`);
		socket.emit('workshop', { id: workshop.id });
		socket.emit('results', pointCounts(workshop));
		socket.emit('presence', { connected: 0 });
		return;
	}
	socket.emit('participant', { participantId: member });
	socket.emit('workshop', { id: workshop.id, riskPoints: workshop.points });
	socket.on('rate', (rating, ack) => {
		let answered = workshop.counts.get(rating.riskPointId);
		if (!answered) workshop.counts.set(rating.riskPointId, (answered = new Set()));
		answered.add(member);
		workshop.changed = true;
		workshop.lines.push(`${JSON.stringify({ member, ...rating })}\n`);
		workshop.waiting.push(ack);
		if (!flushQueued) {
			flushQueued = true;
			setImmediate(flush);
		}
	});
});

let flushQueued = false;
/** Every file with new lines: written and fdatasynced, all at once; each one's acks as soon as it is done. */
function flush() {
	flushQueued = false;
	for (const workshop of workshops.values()) {
		if (workshop.lines.length === 0 || workshop.writing) continue;
		const text = workshop.lines.join('');
		const acks = workshop.waiting;
		workshop.lines = [];
		workshop.waiting = [];
		workshop.writing = true;
		workshop.file
			.write(text)
			.then(() => workshop.file.datasync())
			.then(
				() => acks.forEach((ack) => ack({ ok: true })),
				(error) => acks.forEach((ack) => ack({ ok: false, error: error.message }))
			)
			.finally(() => {
				workshop.writing = false;
				if (workshop.lines.length && !flushQueued) {
					flushQueued = true;
					setImmediate(flush);
				}
			});
	}
}

// facilitators: the answer counts, every 100 ms while they change
setInterval(() => {
	for (const workshop of workshops.values()) {
		if (!workshop.changed) continue;
		workshop.changed = false;
		io.to(`f:${workshop.id}`).emit('results', pointCounts(workshop));
	}
}, 100);

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
	console.log(`Ceiling listening on http://${process.env.HOST ?? '127.0.0.1'}:${http.address().port}`);
});

// a clean exit on SIGTERM (the bench's stop), so that --cpu-prof can write its profile
process.on('SIGTERM', () => process.exit(0));
