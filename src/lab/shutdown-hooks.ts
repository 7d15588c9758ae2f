// Child processes never outlive the lab: on SIGINT/SIGTERM/SIGHUP we stop the cluster cleanly; on any other exit
// path the synchronous 'exit' hook SIGKILLs what is left. (A SIGKILL of the lab itself is covered by the nodes,
// which watch their parent: src/node/parent-watch.ts.)
const FORCE_EXIT_MS = 5000;

/**
 * `forceExitMs`: how long a graceful stop may take before the nodes are killed and the process exits with 1; a command
 * whose stop has its own longer bound (an experiment's cancel) passes one beyond it.
 */
export function installShutdownHooks(stop: () => Promise<void>, killNow: () => void, forceExitMs = FORCE_EXIT_MS): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => {
      killNow();
      process.exit(1);
    }, forceExitMs);
    force.unref();
    stop()
      .catch((error: unknown) => process.stderr.write(`raft-lab: error while stopping: ${String(error)}\n`))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.once('exit', killNow);
}
