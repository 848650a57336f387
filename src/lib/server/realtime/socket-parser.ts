import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';

/** Marks RawJson; a global symbol, as the server entry and the app bundle each have their own copy of this module. */
const RAW_JSON = Symbol.for('risikoverksted.rawJson');

/**
 * Data already encoded as JSON, to be sent as it is (live results, built from per-point JSON kept
 * between updates). Only this encoder knows it: never pass it to a broadcast that crosses
 * processes (the Redis adapter encodes on its own).
 */
export class RawJson {
	readonly [RAW_JSON] = true;
	constructor(readonly json: string) {}
}

const isRawJson = (item: unknown): item is RawJson => typeof item === 'object' && item !== null && RAW_JSON in item;

/**
 * socket.io's own wire format, encoded without the search for binary data. The stock encoder
 * walks every object it sends looking for Buffers to send as attachments; this server never
 * sends binary data, and under load that walk cost half as much again as the JSON encoding itself
 * (profile of `npm run bench:load`). What reaches the client is byte for byte what the stock
 * encoder makes for data without binary, so clients keep the stock parser.
 */
class TextOnlyEncoder extends Encoder {
	override encode(packet: Packet): string[] {
		if (packet.type === PacketType.BINARY_EVENT || packet.type === PacketType.BINARY_ACK) return super.encode(packet);
		// as the stock encodeAsString: type, namespace other than "/" with a comma, ack id, JSON data
		let text = String(packet.type);
		if (packet.nsp && packet.nsp !== '/') text += packet.nsp + ',';
		if (packet.id != null) text += packet.id;
		if (Array.isArray(packet.data) && packet.data.some(isRawJson)) {
			text += `[${packet.data.map((item) => (isRawJson(item) ? item.json : JSON.stringify(item))).join(',')}]`;
		} else if (packet.data != null) text += JSON.stringify(packet.data);
		return [text];
	}
}

/**
 * socket.io's decoder, refusing binary data: no client of this app sends any, so a binary event or
 * attachment is an attack (an endless stream of attachments cost an honest member's acks); the
 * error closes that connection.
 */
class TextOnlyDecoder extends Decoder {
	override add(data: unknown): void {
		if (typeof data !== 'string' || data.startsWith(String(PacketType.BINARY_EVENT)) || data.startsWith(String(PacketType.BINARY_ACK))) {
			throw new Error('binary data is not accepted');
		}
		super.add(data);
	}
}

/** Pass as `parser` in the socket.io server options. */
export const textOnlyParser = { Encoder: TextOnlyEncoder, Decoder: TextOnlyDecoder };
