// A node must never outlive its lab. Two signals, because either alone can miss: the lab holds the write end of our
// stdin pipe (closed by the kernel when the lab dies, even by SIGKILL), and a poll of the parent pid covers runtimes
// that start us without a stdin pipe (Electron's utilityProcess).
const PARENT_POLL_MS = 500;

export function watchParent(onParentGone: (why: string) => void): () => void {
  let fired = false;
  const fire = (why: string): void => {
    if (fired) return;
    fired = true;
    onParentGone(why);
  };
  const parentPid = process.ppid;
  const poll = setInterval(() => {
    if (!isAlive(parentPid)) fire(`parent process ${parentPid} is gone`);
  }, PARENT_POLL_MS);
  poll.unref();
  const onEnd = (): void => fire('stdin closed: the lab is gone');
  if (!process.stdin.isTTY) {
    process.stdin.on('end', onEnd);
    process.stdin.on('close', onEnd);
    process.stdin.on('error', onEnd);
    process.stdin.resume();
  }
  return () => {
    clearInterval(poll);
    process.stdin.off('end', onEnd);
    process.stdin.off('close', onEnd);
    process.stdin.pause();
  };
}

function isAlive(pid: number): boolean {
  if (pid <= 1) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but is not ours: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
