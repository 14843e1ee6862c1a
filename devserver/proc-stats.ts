import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU time (user + system, ms) and resident memory (MiB) of a process, read from /proc; null when it is gone. */
export function processStats(pid: number | undefined): { cpuMs: number; rssMiB: number } | null {
  if (!pid) return null;
  try {
    // Fields after the command name, which may contain spaces: utime and stime are the 12th and 13th of them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpuMs, rssMiB: Number(rss ?? 0) / 1024 };
  } catch {
    return null;
  }
}
