/**
 * What the benches read from Linux's /proc about the processes they measure and the machine they
 * run on: memory and CPU time of a process, of every process of one name, and of the machine.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** resident memory of a process, in MB (NaN when /proc no longer says) */
export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

/** user + system CPU seconds in a /proc/<pid>/stat line (the fields after the name, which may hold spaces) */
const cpuOfStat = (stat: string) => {
	const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** user + system CPU seconds of a process */
export const cpuSeconds = (pid: number) => cpuOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** user + system CPU seconds of every running process with this name (postgres: the server and its backends; haproxy) */
export function cpuSecondsOf(name: string): number {
	let sum = 0;
	for (const pid of readdirSync('/proc')) {
		if (!/^\d+$/.test(pid)) continue;
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name) sum += cpuOfStat(stat);
		} catch {
			// gone meanwhile
		}
	}
	return sum;
}

/** the machine's CPU time so far, in jiffies: busy (user, nice, system, irq, softirq), idle (with iowait), and stolen by the host */
export function machineTimes(): { busy: number; idle: number; steal: number } {
	const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number) as number[];
	return { busy: user! + nice! + system! + irq! + softirq!, idle: idle! + iowait!, steal: steal! };
}

/** Of the machine's time between two readings: the share its cores were busy, and the share the host took, in per cent. */
export function machineShares(before: ReturnType<typeof machineTimes>, after: ReturnType<typeof machineTimes>): { busy: number; steal: number } {
	const busy = after.busy - before.busy;
	const steal = after.steal - before.steal;
	const all = busy + steal + after.idle - before.idle;
	return { busy: (busy / all) * 100, steal: (steal / all) * 100 };
}
