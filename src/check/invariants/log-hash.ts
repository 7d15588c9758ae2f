// Prefix hashes of a log: hash[k] summarises entries 1..k. Two logs agree on their whole prefix through k exactly
// when their prefix hashes at k are equal (up to a 2^-53 collision chance), which turns Log Matching and
// "contains every committed entry" checks into O(1) comparisons instead of O(log length) walks.

import type { Entry } from '../../raft/types';

export const EMPTY_PREFIX_HASH = 0x1d_5a3c_9b71;

const TWO_POW_21 = 0x20_0000;
const TWO_POW_32 = 0x1_0000_0000;

/** Hash of the log 1..k from the hash of 1..k-1 and entry k. */
export function extendPrefixHash(previous: number, entry: Entry): number {
  // Two independent 32-bit lanes, combined into 53 bits (the exact integer range of a double).
  let a = (previous % TWO_POW_32) ^ 0x9e37_79b9;
  let b = Math.floor(previous / TWO_POW_32) ^ 0x85eb_ca6b;
  a = mix(a, entry.index);
  b = mix(b, entry.index ^ 0x5bd1_e995);
  a = mix(a, entry.term);
  b = mix(b, entry.term ^ 0x27d4_eb2d);
  const command = entry.command;
  if (command === null) {
    a = mix(a, 0x6e75_6c6c); // a no-op differs from every command, including ""
    b = mix(b, 0x4e55_4c4c);
  } else {
    a = mix(a, command.length + 1);
    b = mix(b, command.length + 7);
    for (let i = 0; i < command.length; i++) {
      const code = command.charCodeAt(i);
      a = Math.imul(a ^ code, 0x0100_0193);
      b = Math.imul(b ^ code, 0x01b3_7a4d) ^ (b >>> 15);
    }
  }
  a = finalize(a) >>> 0;
  b = finalize(b) >>> 0;
  return (b % TWO_POW_21) * TWO_POW_32 + a;
}

function mix(hash: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e_2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b87_3593);
  const h = hash ^ k;
  return Math.imul((h << 13) | (h >>> 19), 5) + 0xe654_6b64;
}

function finalize(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  return h ^ (h >>> 16);
}

export function sameEntry(a: Entry, b: Entry): boolean {
  return a === b || (a.index === b.index && a.term === b.term && a.command === b.command);
}
