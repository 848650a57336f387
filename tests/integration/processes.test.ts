/**
 * Any process serves any workshop (issue 15): three app processes on one PostgreSQL database
 * behind Debian's HAProxy, 300 members in 10 workshops rating through it. One process is killed
 * (kill -9) mid-session, then all three are restarted one after the other (SIGTERM, start again).
 * Every acknowledged rating is in the database, members reconnect through the balancer within
 * 5 s as themselves and keep their answers, facilitators keep their screen, nothing is counted
 * twice. In the PostgreSQL run (STORE=postgres), with haproxy installed (.ci/run installs it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { MemberWorkshopView } from '../../src/lib/protocol';
import type { WorkshopResults } from '../../src/lib/domain/results';
import { call, createWorkshop, followPresence, joinAsFacilitator, joinAsMember, until, type ClientSocket, type Facilitator } from '../helpers/clients';
import { haproxyPath, startHaproxy, type Balancer } from '../helpers/balancer';
import { freePort } from '../helpers/ports';
import { databaseFor } from '../helpers/postgres';
import { newDataDir, startServer, usesPostgres, type RunningServer } from '../helpers/server';

const WORKSHOPS = 10;
const MEMBERS = 30;
const POINTS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reconnect times (or times to the next acknowledged rating) as the closing notes report them: p50, p99 and max. */
function spread(times: number[], what = 'reconnect'): string {
	const sorted = [...times].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
	return `${what} p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1] ?? 0} ms (${sorted.length} ${what}s)`;
}

let balancer: Balancer | undefined;
const servers: (RunningServer | undefined)[] = [];
const sockets: ClientSocket[] = [];
afterAll(async () => {
	for (const socket of sockets) socket.disconnect();
	balancer?.stop();
	await Promise.all(servers.map((server) => server?.kill()));
});

interface SimMember {
	socket: ClientSocket;
	participantId: string;
	workshop: number;
	/** the last acknowledged answer per point: [likelihood, consequence] */
	acked: Map<string, [number, number]>;
	disconnectedAt: number | null;
	reconnects: number[];
	/** every participant id the server gave this member (one, if it always resumed as itself) */
	ids: Set<string>;
	latestView: MemberWorkshopView | null;
	/** the answers acknowledged when the connection dropped, and the one on its way then */
	atDrop: Map<string, [number, number]> | null;
	inflight: [string, [number, number]] | null;
	/** per reconnect: whether the new process's first view had every answer acknowledged before */
	kept: boolean[];
	/** when the connection dropped, until the next rating is acknowledged */
	dropAt: number | null;
	acknowledgedAgain?: () => void;
	/** from a drop to the next acknowledged rating (the member's screen resends what is pending at once on reconnect, as here) */
	nextAcks: number[];
}

describe.runIf(usesPostgres() && haproxyPath !== null)('three processes behind a load balancer', () => {
	it('lose no acknowledged rating when one is killed or all are restarted in turn, and members come back within 5 s', { timeout: 180_000 }, async () => {
		const dataDir = await newDataDir();
		const database = await databaseFor(process.env.POSTGRES_ADMIN_URL!, dataDir);
		const ports = [await freePort(), await freePort(), await freePort()];
		// on SIGTERM, /readyz says 503 for 1.2 s before the sockets close: the balancer (checks every 0.5 s, down after 2) sends no one back there
		// as the README says to run them behind its HAProxy config
		const start = (index: number) => startServer({ dataDir, env: { PORT: String(ports[index]), DATABASE_URL: database, SHUTDOWN_GRACE_MS: '1500', ADDRESS_HEADER: 'x-forwarded-for' } });
		for (let index = 0; index < 3; index++) servers[index] = await start(index);
		balancer = await startHaproxy(ports);
		const url = balancer.url;

		// workshops made through the balancer: each step may reach another process
		const workshops: Awaited<ReturnType<typeof createWorkshop>>[] = [];
		for (let w = 0; w < WORKSHOPS; w++) workshops.push(await createWorkshop(url, Array.from({ length: POINTS }, (_, p) => `Risikopunkt ${w + 1}.${p + 1}`)));
		const facilitators: Facilitator[] = [];
		const facilitatorDrops = { count: 0, views: 0 };
		for (const workshop of workshops) {
			const facilitator = await joinAsFacilitator(url, workshop.id, workshop.facilitatorKey);
			sockets.push(facilitator.socket);
			facilitator.socket.on('disconnect', () => facilitatorDrops.count++);
			facilitator.socket.on('workshop', () => facilitatorDrops.views++);
			facilitators.push(facilitator);
		}
		const members: SimMember[] = [];
		for (let w = 0; w < WORKSHOPS; w++) {
			for (let m = 0; m < MEMBERS; m++) {
				const joined = await joinAsMember(url, workshops[w]!.joinCode);
				sockets.push(joined.socket);
				// as the member's screen does: come back as the same member
				joined.socket.auth = { joinCode: workshops[w]!.joinCode, participantToken: joined.participantToken };
				const member: SimMember = {
					socket: joined.socket,
					participantId: joined.participantId,
					workshop: w,
					acked: new Map(),
					disconnectedAt: null,
					reconnects: [],
					ids: new Set([joined.participantId]),
					latestView: joined.view,
					atDrop: null,
					inflight: null,
					kept: [],
					dropAt: null,
					nextAcks: []
				};
				const acknowledgedAgain = () => {
					if (member.dropAt === null) return;
					member.nextAcks.push(Date.now() - member.dropAt);
					member.dropAt = null;
				};
				joined.socket.on('disconnect', () => {
					member.disconnectedAt ??= Date.now();
					member.dropAt ??= Date.now();
					member.atDrop ??= new Map(member.acked);
				});
				joined.socket.on('participant', (who: { participantId: string }) => member.ids.add(who.participantId));
				joined.socket.on('workshop', (view) => {
					member.latestView = view as MemberWorkshopView;
					if (!member.atDrop) return;
					// the first view from the process reached after a drop: every answer acknowledged before it is there
					const own = member.latestView.ratings;
					const same = (point: string, value: [number, number]) => own[point]?.likelihood === value[0] && own[point]?.consequence === value[1];
					member.kept.push(
						[...member.atDrop].every(([point, value]) => same(point, value) || (member.inflight?.[0] === point && same(point, member.inflight[1])))
					);
					member.atDrop = null;
				});
				joined.socket.on('connect', () => {
					if (member.disconnectedAt !== null) member.reconnects.push(Date.now() - member.disconnectedAt);
					member.disconnectedAt = null;
					// as MemberSession does: the answer on its way when the connection dropped is sent again at once
					const pending = member.inflight;
					if (pending && member.dropAt !== null) {
						member.socket
							.timeout(10_000)
							.emitWithAck('rate', { riskPointId: pending[0], likelihood: pending[1][0], consequence: pending[1][1] })
							.then((ack) => ack.ok && acknowledgedAgain(), () => {});
					}
				});
				member.acknowledgedAgain = acknowledgedAgain;
				members.push(member);
			}
		}

		/** Each member rates its points over and over (new values each pass) until told to stop; a refused or lost answer is sent again. */
		let pass = 0;
		let stop = false;
		let acks = 0;
		const rateUntilStopped = async (member: SimMember, index: number) => {
			const points = workshops[member.workshop]!.riskPointIds;
			for (let round = 0; !stop; round++) {
				for (const [p, riskPointId] of points.entries()) {
					const value: [number, number] = [1 + ((index + p + round + pass) % 5), 1 + ((index * 7 + p + round) % 5)];
					member.inflight = [riskPointId, value];
					for (;;) {
						try {
							const ack = await member.socket.timeout(3000).emitWithAck('rate', { riskPointId, likelihood: value[0], consequence: value[1] });
							if (ack.ok) break;
						} catch {
							// no answer in 3 s (the process died with it): sent again
						}
						await sleep(300);
					}
					member.acked.set(riskPointId, value);
					member.inflight = null;
					member.acknowledgedAgain?.();
					acks++;
					await sleep(150 + Math.random() * 450);
					if (stop) return;
				}
			}
		};
		const session = () => {
			stop = false;
			pass++;
			return Promise.all(members.map((member, index) => rateUntilStopped(member, index)));
		};

		/** Every acknowledged answer is stored as acknowledged, once per member and point; each member kept their id and their answers. */
		const check = async (what: string) => {
			const db = new pg.Client({ connectionString: database });
			await db.connect();
			try {
				const rows = await db.query<{ participant_id: string; risk_point_id: string; likelihood: number; consequence: number }>(
					'SELECT participant_id, risk_point_id, likelihood, consequence FROM ratings'
				);
				const stored = new Map(rows.rows.map((row) => [`${row.participant_id}/${row.risk_point_id}`, [row.likelihood, row.consequence]]));
				let missing = 0;
				for (const member of members) {
					expect(member.ids.size, `${what}: a member came back as someone else`).toBe(1);
					for (const [point, value] of member.acked) if (JSON.stringify(stored.get(`${member.participantId}/${point}`)) !== JSON.stringify(value)) missing++;
				}
				expect(missing, `${what}: acknowledged answers not stored as acknowledged`).toBe(0);
				const counts = await db.query<{ n: string }>('SELECT count(*) AS n FROM participants');
				expect(Number(counts.rows[0]!.n), `${what}: members in the database`).toBe(WORKSHOPS * MEMBERS);
			} finally {
				await db.end();
			}
			// the results count each member once per point, whichever process is asked
			for (const workshop of workshops) {
				const results = (await call(url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey })).body as WorkshopResults;
				for (const point of results.riskPoints) expect(point.responses, `${what}: answers to a point`).toBe(MEMBERS);
			}
			// each facilitator's screen (through reconnects) shows every answer
			for (const facilitator of facilitators) {
				await expect.poll(() => facilitator.results.riskPoints.every((point) => point.responses === MEMBERS), { timeout: 5000 }).toBe(true);
			}
			// members who came back through another process found their answers there
			const lost = members.filter((member) => member.kept.includes(false)).length;
			expect(lost, `${what}: members whose answers were not in the view after reconnecting`).toBe(0);
		};

		// 1. kill -9 one of the three while they rate
		const first = session();
		await sleep(2500);
		const before = acks;
		await servers[1]!.kill();
		await sleep(6000);
		stop = true;
		await first;
		const dropped = members.filter((member) => member.reconnects.length > 0);
		const slowest = Math.max(0, ...dropped.map((member) => Math.max(...member.reconnects)));
		console.log(
			`processes: kill -9 of 1 of 3 after ${before} acknowledged ratings: ${dropped.length} members reconnected through the balancer, ${spread(dropped.flatMap((member) => member.reconnects))}; ${acks} acknowledged in all; ${facilitatorDrops.count} facilitator reconnects`
		);
		console.log(`processes: kill -9, from the drop to the next acknowledged rating: ${spread(dropped.flatMap((member) => member.nextAcks), 'drop')}`);
		expect(dropped.length, 'members on the killed process').toBeGreaterThan(0);
		expect(dropped.every((member) => member.kept.length > 0), 'a view after each reconnect').toBe(true);
		expect(slowest).toBeLessThan(5000);
		expect(members.every((member) => member.socket.connected && member.disconnectedAt === null)).toBe(true);
		await check('after kill -9');

		// 2. the killed process comes back, then all three are restarted one after the other during a session
		servers[1] = await start(1);
		for (const member of members) {
			member.reconnects = [];
			member.nextAcks = [];
		}
		const second = session();
		await sleep(1500);
		for (let index = 0; index < 3; index++) {
			await servers[index]!.stop();
			servers[index] = await start(index);
			await sleep(1500);
		}
		stop = true;
		await second;
		const moved = members.filter((member) => member.reconnects.length > 0);
		const slowestRolling = Math.max(0, ...moved.map((member) => Math.max(...member.reconnects)));
		console.log(`processes: rolling restart of 3: ${moved.length} members reconnected, ${spread(moved.flatMap((member) => member.reconnects))}; ${acks} acknowledged in all`);
		console.log(`processes: rolling restart, from the drop to the next acknowledged rating: ${spread(moved.flatMap((member) => member.nextAcks), 'drop')}`);
		expect(moved.length).toBeGreaterThan(0);
		expect(slowestRolling).toBeLessThan(5000);
		await check('after a rolling restart');
	});
});

describe.runIf(usesPostgres())('two processes changing one workshop at once', () => {
	it('apply both changes (one after the other, each on what the other left) and each process shows both', { timeout: 60_000 }, async () => {
		const dataDir = await newDataDir();
		const [p, q] = [await startServer({ dataDir }), await startServer({ dataDir })];
		servers.push(p, q);
		const workshop = await createWorkshop(p.url, Array.from({ length: 10 }, (_, i) => `Risikopunkt ${i + 1}`), { pacing: 'facilitator' });
		const points = workshop.riskPointIds;
		const onP = await joinAsFacilitator(p.url, workshop.id, workshop.facilitatorKey);
		const onQ = await joinAsFacilitator(q.url, workshop.id, workshop.facilitatorKey);
		sockets.push(onP.socket, onQ.socket);
		for (const facilitator of [onP, onQ]) {
			facilitator.socket.on('workshop', (view) => (facilitator.view = view as Facilitator['view']));
			followPresence(facilitator.socket, (presence) => (facilitator.presence = presence));
		}
		// members on both processes answer, so there is something to reveal
		const members = [await joinAsMember(p.url, workshop.joinCode), await joinAsMember(q.url, workshop.joinCode)];
		sockets.push(...members.map((member) => member.socket));
		for (const point of points) for (const member of members) expect(await member.socket.emitWithAck('rate', { riskPointId: point, likelihood: 4, consequence: 2 })).toMatchObject({ ok: true });
		// each facilitator sees both members connected, whichever process they reached
		for (const facilitator of [onP, onQ]) await expect.poll(() => facilitator.presence.connected, { timeout: 5000 }).toBe(2);

		// at the same moment: a reveal on one process, the next point (and a note) on the other
		const patch = (url: string, json: object) => call(url, `/api/workshops/${workshop.id}`, { method: 'PATCH', key: workshop.facilitatorKey, json });
		for (let i = 0; i < points.length - 1; i++) {
			const [revealed, moved] = await Promise.all([patch(p.url, { revealed: [points[i]] }), patch(q.url, { currentRiskPointId: points[i + 1], title: `Steg ${i + 1}` })]);
			expect([revealed.status, moved.status]).toEqual([200, 200]);
		}
		// neither change was lost: every point but the last revealed, the last one current, the last title
		const last = points[points.length - 1]!;
		for (const facilitator of [onP, onQ]) {
			await expect
				.poll(() => {
					const view = facilitator.view;
					const shown = points.slice(0, -1).every((point) => (view.revealed[point] ?? []).some((round) => round.round === 1 && round.responses === 2));
					return shown && view.currentRiskPointId === last && view.title === `Steg ${points.length - 1}`;
				}, { timeout: 5000 })
				.toBe(true);
		}
		// auto-reveal across processes: a second round of the first point, one member answers on each process;
		// the round is shown to all once both connected members have answered, wherever the last answer landed
		const inRound2 = members.map((member) => until<MemberWorkshopView>(member.socket, 'workshop', (view) => view.rounds[points[0]!] === 2));
		expect((await patch(q.url, { currentRiskPointId: points[0], newRound: [points[0]], autoReveal: true })).status).toBe(200);
		// each member answers once their own process shows them the new round (as their screen would)
		await Promise.all(inRound2);
		for (const member of members) expect(await member.socket.emitWithAck('rate', { riskPointId: points[0]!, likelihood: 2, consequence: 5 })).toMatchObject({ ok: true });
		for (const facilitator of [onP, onQ]) {
			await expect.poll(() => (facilitator.view.revealed[points[0]!] ?? []).some((round) => round.round === 2 && round.responses === 2), { timeout: 5000 }).toBe(true);
		}
		// a member who leaves one process is no longer connected for the facilitator on the other
		members[0]!.socket.disconnect();
		await expect.poll(() => onQ.presence.connected, { timeout: 5000 }).toBe(1);

		// and both processes count each member's answer once, with the numbers of revealed points
		for (const server of [p, q]) {
			const results = (await call(server.url, `/api/workshops/${workshop.id}/export.json`, { key: workshop.facilitatorKey })).body as WorkshopResults;
			expect(results.riskPoints.map((point) => point.responses)).toEqual(points.map(() => 2));
		}
	});
});

describe.runIf(usesPostgres())('two processes changing one assessment at once', () => {
	it('keep every workshop each of them added', { timeout: 60_000 }, async () => {
		const dataDir = await newDataDir();
		const [p, q] = [await startServer({ dataDir }), await startServer({ dataDir })];
		servers.push(p, q);
		const created = await call(p.url, '/api/assessments', { method: 'POST', json: { title: 'Samtidig', riskPoints: [{ text: 'A' }, { text: 'B' }] } });
		expect(created.status).toBe(201);
		const { id, ownerKey } = created.body as { id: string; ownerKey: string };
		const add = (url: string, title: string) => call(url, `/api/assessments/${id}/workshops`, { method: 'POST', key: ownerKey, json: { kind: 'regional', title } });
		// both processes have the assessment in memory, then each adds workshops at the same moment as the other
		for (const server of [p, q]) expect((await call(server.url, `/api/assessments/${id}`, { key: ownerKey })).status).toBe(200);
		for (let i = 0; i < 5; i++) {
			const made = await Promise.all([add(p.url, `P ${i}`), add(q.url, `Q ${i}`)]);
			expect(made.map((answer) => answer.status)).toEqual([201, 201]);
		}
		for (const server of [p, q]) {
			const overview = (await call(server.url, `/api/assessments/${id}`, { key: ownerKey })).body as { workshops: { title: string }[] };
			expect(overview.workshops.map((workshop) => workshop.title).sort()).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`P ${i}`, `Q ${i}`]).sort());
		}
	});
});

describe.runIf(usesPostgres())('notices between processes', () => {
	it("tell a process of a workshop's ratings only while it follows the workshop", { timeout: 60_000 }, async () => {
		const dataDir = await newDataDir();
		const database = await databaseFor(process.env.POSTGRES_ADMIN_URL!, dataDir);
		const [p, q] = [await startServer({ dataDir, env: { DATABASE_URL: database } }), await startServer({ dataDir, env: { DATABASE_URL: database } })];
		servers.push(p, q);
		// what the processes tell each other, as a third listener hears it
		const listener = new pg.Client({ connectionString: database });
		await listener.connect();
		const notices: { k: string; id?: string; s?: number; ids?: string[] }[] = [];
		listener.on('notification', (message) => notices.push(JSON.parse(message.payload!)));
		await listener.query('LISTEN risikoverksted');
		try {
			const workshop = await createWorkshop(p.url, ['A', 'B', 'C']);
			const [a, b] = workshop.riskPointIds as [string, string];
			const member = await joinAsMember(p.url, workshop.joinCode);
			sockets.push(member.socket);
			const ratingNotices = () => notices.filter((notice) => notice.k === 'w' && notice.id === workshop.id && !notice.s).length;

			// nobody on q follows the workshop: its ratings are committed and told to no one
			expect(await member.socket.emitWithAck('rate', { riskPointId: a, likelihood: 3, consequence: 3 })).toMatchObject({ ok: true });
			await sleep(500);
			expect(ratingNotices()).toBe(0);

			// a facilitator opens it on q: q says it follows it, and p tells q of each rating from then on
			const facilitator = await joinAsFacilitator(q.url, workshop.id, workshop.facilitatorKey);
			sockets.push(facilitator.socket);
			await expect.poll(() => notices.some((notice) => notice.k === 'f' && notice.ids?.includes(workshop.id)), { timeout: 5000 }).toBe(true);
			expect(facilitator.results.riskPoints.find((point) => point.id === a)?.responses).toBe(1);
			expect(await member.socket.emitWithAck('rate', { riskPointId: b, likelihood: 4, consequence: 5 })).toMatchObject({ ok: true });
			await expect.poll(ratingNotices, { timeout: 5000 }).toBeGreaterThan(0);
			await expect.poll(() => facilitator.results.riskPoints.find((point) => point.id === b)?.responses, { timeout: 5000 }).toBe(1);
		} finally {
			await listener.end();
		}
	});
});
