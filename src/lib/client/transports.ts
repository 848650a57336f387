import type { ManagerOptions } from 'socket.io-client';

/**
 * How a socket comes back after its process went away (kill -9, a rolling restart): the first try
 * after 75-225 ms, then doubling up to 5 s, each with ±50 % jitter so a room of members does not
 * come back in one wave. socket.io's default first wait (1 s ± 50 %, then 2 s) put the p99 of a
 * rolling restart above 2 s (processes.test.ts prints it); a first wait of 150-450 ms put the
 * median at 0.9-1.1 s, 0.2 s of it waiting (the surviving processes take the storm well within it).
 */
export const RECONNECTION: Partial<ManagerOptions> = { reconnectionDelay: 150, reconnectionDelayMax: 5000, randomizationFactor: 0.5 };
