// A session whose register index committed holding something else never opened (dissertation §6.3): its writes were
// never applied. Only a committed register of the same client at that index opens it.
import { describe, expect, it } from 'vitest';
import { encodeKvCommand } from '../../../src/kv/command';
import { sessionNeverOpened } from '../../../src/kv/session-origin';

describe('sessionNeverOpened', () => {
  it('is false only where the entry is this client\'s register', () => {
    expect(sessionNeverOpened(encodeKvCommand({ clientId: 'c1', op: 'register' }), 'c1')).toBe(false);
    expect(sessionNeverOpened(encodeKvCommand({ clientId: 'c2', op: 'register' }), 'c1')).toBe(true);
    expect(sessionNeverOpened(encodeKvCommand({ clientId: 'c1', session: 3, seq: 1, op: 'put', key: 'k', value: 'v' }), 'c1')).toBe(true);
    expect(sessionNeverOpened(null, 'c1'), 'a leader\'s no-op').toBe(true);
    expect(sessionNeverOpened('not a command', 'c1')).toBe(true);
  });
});
