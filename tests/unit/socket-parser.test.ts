import { describe, expect, it } from 'vitest';
import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { RawJson, textOnlyParser } from '../../src/lib/server/realtime/socket-parser';

const packets: Packet[] = [
	{ type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
	{ type: PacketType.EVENT, nsp: '/', data: ['workshop', { title: 'Nasjonalt fagpanel – «æøå»', riskPoints: [{ id: 'A', text: 'Barns behov\nkartlegges ikke' }], n: [1, null, 2.5] }] },
	{ type: PacketType.EVENT, nsp: '/admin', data: ['results', { riskPoints: [] }] },
	{ type: PacketType.ACK, nsp: '/', id: 42, data: [{ ok: true }] },
	{ type: PacketType.ACK, nsp: '/', id: 0, data: [{ ok: false, error: 'Arbeidsmøtet er stengt.', code: 'error.rate.closed' }] },
	{ type: PacketType.DISCONNECT, nsp: '/' },
	{ type: PacketType.CONNECT_ERROR, nsp: '/', data: { message: 'Ukjent kode', data: { code: 'error.join.unknownCode' } } }
];

describe('socket.io encoder without the binary search', () => {
	it('sends byte for byte what the stock encoder sends for data without binary', () => {
		const stock = new Encoder();
		const ours = new textOnlyParser.Encoder();
		for (const packet of packets) expect(ours.encode(packet)).toEqual(stock.encode(packet));
	});

	it('still encodes binary packets the stock way', () => {
		const packet: Packet = { type: PacketType.BINARY_EVENT, nsp: '/', data: ['file', Buffer.from('abc')] };
		expect(new textOnlyParser.Encoder().encode(packet)).toEqual(new Encoder().encode({ ...packet }));
	});
});

describe('JSON encoded ahead', () => {
	it('goes on the wire as it is, as if the object had been encoded there', () => {
		const results = { workshop: { id: 'w' }, riskPoints: [{ id: 'A', text: 'Barns «behov»', rank: 1 }] };
		const ahead = new textOnlyParser.Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['results', new RawJson(JSON.stringify(results))] });
		expect(ahead).toEqual(new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['results', results] }));
	});
});
