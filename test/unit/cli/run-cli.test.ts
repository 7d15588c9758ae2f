// What `raft-lab` prints when a command fails unexpectedly: one line for a system error, the stack for a bug.
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/cli/run-cli';

describe('describeFailure', () => {
  it('prints a system error\'s message alone, on one line ending in a newline', () => {
    const busy = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080'), { code: 'EADDRINUSE' });
    expect(describeFailure(busy)).toBe('raft-lab: listen EADDRINUSE: address already in use 127.0.0.1:8080\n');
  });

  it('prints the stack of any other error, and anything thrown as text, ending in a newline', () => {
    const bug = new TypeError('cannot read properties of undefined');
    const text = describeFailure(bug);
    expect(text).toMatch(/^raft-lab: TypeError: cannot read properties of undefined\n {4}at /);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(describeFailure('plain')).toBe('raft-lab: plain\n');
  });
});
