/**
 * True when a process with this id runs on this machine (or exists and belongs to another user). Used
 * to tell leftovers of a killed writer (`*.tmp-<pid>-...`) from the files of a writer still at work.
 *
 * @example
 * isProcessAlive(process.pid); // true
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
