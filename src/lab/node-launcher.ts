// How to start a node process on the runtime the lab itself runs on. In plain Node (web mode, CLI) that is `node`
// with the bundled node script; inside Electron it is Electron's own binary with ELECTRON_RUN_AS_NODE, so the
// packaged app needs no separate Node installation (which is why the RunAsNode fuse stays on: docs/security.md).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NodeLauncher {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /**
   * Start each node in a process group of its own and signal the whole group: a relay node (a student's own Raft,
   * src/node/maelstrom) has the student's process as its child, and a crash or a pause must reach that one too.
   */
  readonly ownProcessGroup?: boolean;
  /** What runs behind each node, for messages: the built-in Raft, or the student's executable. */
  readonly implementation?: string;
}

/** The bundled node script, found next to this bundle (out/...) or in the project's out/node. */
export function findNodeScript(fromUrl: string = import.meta.url, name = 'raft-node.js'): string {
  const here = dirname(fileURLToPath(fromUrl));
  const candidates = [
    join(here, '..', 'node', name),
    join(here, 'node', name),
    resolve(here, '..', '..', 'out', 'node', name),
    resolve(process.cwd(), 'out', 'node', name),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(`raft-lab: the node script is not built (looked in ${candidates.join(', ')}); run \`npm run build\``);
  }
  // Inside a packaged app the script may sit in app.asar: Electron's runtime reads it from there, and loads the
  // zeromq addon from app.asar.unpacked (see asarUnpack in electron-builder.yml).
  return found;
}

/**
 * A node holds little once its log is compacted (§7): ~10-13 MB of live heap; ~45 MB of its resident memory are the
 * pages of the `node` binary itself, shared by every node. What makes the rest grow is garbage V8 lets pile up before
 * collecting, and freed memory malloc keeps:
 * - a 1 MB young generation (each semi-space; the young generation's pages are resident once touched);
 * - a full GC right after each log compaction (--expose-gc, used by the node's main.ts, when thousands of entries
 *   just died). Not a compacting one (--compact-on-every-full-gc): that lowered the memory held between collections
 *   but raised the peak (evacuation needs fresh pages while the old ones are still held) and the pauses;
 * - one malloc arena (ZeroMQ's I/O thread frees message buffers the main thread allocated, and every thread with its
 *   own arena keeps its own free memory) and fixed mmap/trim thresholds (glibc raises them as large blocks are freed,
 *   and then keeps up to 64 MB it could return).
 * Peak resident memory (VmHWM) over 10 s at 64 clients (~50k writes): 72-78 MB with all of these, 78-83 MB without the
 * malloc settings; 62-64 MB at start.
 *
 * Those full GCs come every 2,000 entries, several times a second under load, where V8 expects them minutes apart. V8
 * keeps an object shape (map) that optimized code relies on for only 2 full GCs without a live object of that shape;
 * the shapes of decoded frames, requests and replies have none alive at the moment of a GC (each lives for one
 * message), so every second or so the hot message path was deoptimized and compiled again (--retain-maps-for-n-gc:
 * keep them for 1,000 full GCs, minutes at the highest compaction rate; docs/benchmarks.md, "Optimized code that died
 * at every full GC").
 */
const NODE_FLAGS = ['--max-semi-space-size=1', '--expose-gc', '--retain-maps-for-n-gc=1000'];
/** glibc's malloc settings (see above); other allocators ignore them (other C libraries, and likely Electron's own). */
const NODE_MALLOC_ENV = { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

export function defaultNodeLauncher(): NodeLauncher {
  const script = findNodeScript();
  // For profiling and debugging node processes: e.g. RAFT_LAB_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extraFlags = (process.env['RAFT_LAB_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag.startsWith('--'));
  return {
    command: process.execPath,
    args: [...NODE_FLAGS, ...extraFlags, script],
    env: runtimeEnv(),
  };
}

/**
 * A student's own Raft: each node is our relay (out/node/maelstrom-relay.js), which runs `command args...` and speaks
 * Maelstrom's protocol with it (docs/byo-raft.md). The command, and each argument that names an existing file or
 * folder, are resolved against the lab's working directory (studentArgs).
 */
export function byoNodeLauncher(command: string, args: readonly string[]): NodeLauncher {
  const script = findNodeScript(import.meta.url, 'maelstrom-relay.js');
  const bin = command.includes('/') ? resolve(command) : command;
  return {
    command: process.execPath,
    args: [script],
    // Read by src/node/maelstrom/relay-env.ts.
    env: { ...runtimeEnv(), RAFT_LAB_BYO_BIN: bin, RAFT_LAB_BYO_ARGS: JSON.stringify(studentArgs(args)) },
    ownProcessGroup: true,
    implementation: bin,
  };
}

/**
 * A student's node runs in its own working directory (the node's data directory, so that what it saves there is its
 * own and found again after a restart), not where the lab was started. So `--bin python3 --arg my_raft.py`, the way
 * everyone writes it, would look for my_raft.py in the node's directory: an argument that is not a flag and names a
 * file or folder that exists relative to `cwd` (the lab's working directory) is passed as its absolute path. Anything
 * else (flags, words, names of files the node will create) is passed as it is.
 */
export function studentArgs(args: readonly string[], cwd: string = process.cwd()): string[] {
  return args.map((arg) => (arg === '' || arg.startsWith('-') || isAbsolute(arg) || !existsSync(resolve(cwd, arg)) ? arg : resolve(cwd, arg)));
}

/**
 * The example Raft that speaks Maelstrom's protocol (assets/byo/example-raft.mjs), beside the exercises when their
 * folder is known (the packaged app), else in the project (from the sources, from out/cli, or the working directory).
 */
export function findExampleRaft(exercisesDir?: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    ...(exercisesDir === undefined ? [] : [join(dirname(exercisesDir), 'byo', 'example-raft.mjs')]),
    resolve(here, '..', '..', 'assets', 'byo', 'example-raft.mjs'),
    resolve(here, '..', 'assets', 'byo', 'example-raft.mjs'),
    resolve(process.cwd(), 'assets', 'byo', 'example-raft.mjs'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`raft-lab: the example Raft is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** Why `bin` cannot be a student's node, or null. A bare name (python3) is looked up in PATH when it starts. */
export function executableProblem(bin: string): string | null {
  if (!bin.includes('/')) return null;
  const path = resolve(bin);
  try {
    if (!statSync(path).isFile()) return `${path} is not a file`;
    accessSync(path, constants.X_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${path} does not exist` : `${path} is not executable (chmod +x it, or run it with its interpreter)`;
  }
}

function runtimeEnv(): Record<string, string> {
  const isElectron = typeof process.versions.electron === 'string';
  return isElectron ? { ...NODE_MALLOC_ENV, ELECTRON_RUN_AS_NODE: '1' } : NODE_MALLOC_ENV;
}
