// Message size as 6.5840 counts it for the RPC byte test: here, the UTF-8 length of the message's JSON.

import type { Message } from '../raft/types';

export function jsonBytes(message: Message): number {
  const json = JSON.stringify(message);
  let bytes = json.length;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}
