import { readdirSync, readFileSync } from 'node:fs';

/**
 * The resident memory of process `pid` and its descendants (bubblewrap's child is the guest's
 * Node), in bytes, read from Linux's /proc; undefined where /proc cannot tell (another OS, the
 * process gone).
 */
export function residentBytesOfTree(pid: number): number | undefined {
  const own = residentKilobytes(pid);
  if (own === undefined) return undefined;
  let kilobytes = own;
  for (const child of childrenOf(pid)) kilobytes += (residentBytesOfTree(child) ?? 0) / 1024;
  return kilobytes * 1024;
}

function residentKilobytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}
