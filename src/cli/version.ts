// `raft-lab --version`: the version in package.json (bundled into the CLI at build time, so it needs no file).
import packageJson from '../../package.json';

export function cliVersion(): string {
  return `raft-lab ${packageJson.version}`;
}
