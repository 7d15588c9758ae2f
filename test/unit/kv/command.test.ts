import { describe, expect, it } from 'vitest';
import { decodeKvCommand, decodeKvLogCommand, encodeKvCommand, KvCommandError, type KvCommand } from '../../../src/kv/command';
import { KV_MAX_KEY_BYTES, KV_MAX_VALUE_BYTES } from '../../../src/kv/limits';

const put: KvCommand = { clientId: 'c1', seq: 1, op: 'put', key: 'x', value: '1' };
const del: KvCommand = { clientId: 'c1', seq: 2, op: 'delete', key: 'x' };
const cas: KvCommand = { clientId: 'c1', seq: 3, op: 'cas', key: 'x', from: '1', to: '2' };

function decodeError(text: string): string {
  try {
    decodeKvCommand(text);
  } catch (error) {
    expect(error).toBeInstanceOf(KvCommandError);
    return (error as Error).message;
  }
  throw new Error(`decoded without error: ${text}`);
}

describe('KV command codec', () => {
  it('round-trips every operation', () => {
    for (const command of [put, del, cas]) expect(decodeKvCommand(encodeKvCommand(command))).toEqual(command);
  });

  it('encodes with a fixed field order, so equal commands give equal text', () => {
    const reordered = { to: '2', from: '1', key: 'x', op: 'cas', seq: 3, clientId: 'c1' } as const;
    expect(encodeKvCommand(reordered)).toBe(encodeKvCommand(cas));
    expect(encodeKvCommand(put)).toBe('{"clientId":"c1","seq":1,"op":"put","key":"x","value":"1"}');
  });

  it('keeps the empty string, unicode and a key named __proto__ intact', () => {
    const odd: KvCommand = { clientId: 'é', seq: 7, op: 'cas', key: '__proto__', from: '', to: '😀\u0000"' };
    expect(decodeKvCommand(encodeKvCommand(odd))).toEqual(odd);
  });

  it('accepts keys and values exactly at the size limits and rejects one byte more', () => {
    const maxKey = 'k'.repeat(KV_MAX_KEY_BYTES);
    const maxValue = 'v'.repeat(KV_MAX_VALUE_BYTES);
    const atLimit: KvCommand = { ...put, key: maxKey, value: maxValue } as KvCommand;
    expect(decodeKvCommand(encodeKvCommand(atLimit))).toEqual(atLimit);
    expect(() => encodeKvCommand({ ...put, key: `${maxKey}k` } as KvCommand)).toThrow(/key.*257 bytes/);
    expect(() => encodeKvCommand({ ...put, value: `${maxValue}v` } as KvCommand)).toThrow(/value.*65537 bytes/);
    // Bytes, not characters: 128 two-byte characters are 256 bytes, 129 are too many.
    expect(() => encodeKvCommand({ ...put, key: 'é'.repeat(129) } as KvCommand)).toThrow(/258 bytes/);
  });

  it('rejects malformed text with a message that says what is wrong', () => {
    const client = '"clientId":"c","seq":1';
    expect(decodeError('not json')).toMatch(/not valid JSON/);
    expect(decodeError('[1]')).toMatch(/JSON object, got an array/);
    expect(decodeError('null')).toMatch(/JSON object, got null/);
    expect(decodeError(`{${client},"op":"get","key":"x"}`)).toMatch(/"op" must be/);
    expect(decodeError(`{${client},"op":"put","key":"x"}`)).toMatch(/missing field "value"/);
    expect(decodeError(`{${client},"op":"delete","key":"x","value":"1"}`)).toMatch(/unexpected field "value"/);
    expect(decodeError('{"clientId":"c","seq":0,"op":"delete","key":"x"}')).toMatch(/"seq" must be a positive integer/);
    expect(decodeError('{"clientId":"c","seq":1.5,"op":"delete","key":"x"}')).toMatch(/"seq"/);
    expect(decodeError('{"clientId":"c","seq":"1","op":"delete","key":"x"}')).toMatch(/"seq"/);
    expect(decodeError('{"clientId":"","seq":1,"op":"delete","key":"x"}')).toMatch(/"clientId" must not be empty/);
    expect(decodeError(`{${client},"op":"delete","key":""}`)).toMatch(/"key" must not be empty/);
    expect(decodeError(`{${client},"op":"put","key":"x","value":null}`)).toMatch(/"value" must be a string/);
    expect(decodeError(`{${client},"op":"cas","key":"x","from":1,"to":"2"}`)).toMatch(/"from" must be a string/);
    expect(decodeError('x'.repeat(2_000_000))).toMatch(/characters, more than/);
  });

  it('refuses to encode an invalid command, so junk never reaches the log', () => {
    expect(() => encodeKvCommand({ ...put, seq: -1 } as KvCommand)).toThrow(KvCommandError);
    expect(() => encodeKvCommand({ ...put, extra: 1 } as unknown as KvCommand)).toThrow(/unexpected field "extra"/);
  });

  it('a register command and a write of a registered session (dissertation §6.3) round-trip in a fixed field order', () => {
    expect(encodeKvCommand({ op: 'register', clientId: 'c1' })).toBe('{"clientId":"c1","op":"register"}');
    const write: KvCommand = { clientId: 'c1', session: 42, seq: 3, op: 'put', key: 'x', value: '1' };
    expect(encodeKvCommand(write)).toBe('{"clientId":"c1","session":42,"seq":3,"op":"put","key":"x","value":"1"}');
    expect(decodeKvCommand(encodeKvCommand(write))).toEqual(write);
    expect(decodeKvLogCommand('{"clientId":"c1","op":"register"}')).toEqual({ op: 'register', clientId: 'c1' });
    expect(decodeError('{"clientId":"c1","op":"register"}')).toMatch(/a register command is not a write/);
    expect(() => decodeKvLogCommand('{"clientId":"c1","op":"register","key":"x"}')).toThrow(/unexpected field "key" in a register command/);
    expect(decodeError('{"clientId":"c","session":0,"seq":1,"op":"delete","key":"x"}')).toMatch(/"session" must be a positive integer/);
    expect(decodeError('{"clientId":"#3","seq":1,"op":"delete","key":"x"}')).toMatch(/starting with "#" needs a "session"/);
  });
});
